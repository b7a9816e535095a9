/**
 * What `fanout local` and `fanout work` share once they host workers: a note for what a worker
 * reports (an error, a death, an overrun, a message SQS took back), a count of what they handled
 * with a line every 10 s, and the stop: the first Ctrl-C drains (the workers finish their running
 * batches), the second stops now. Each command keeps what is its own: local its server, work its
 * target.
 */
import type { LogLevel } from '../../functions/wire/constants.js';
import { interruptible, type Interrupts } from '../interrupts.js';
import { EXIT } from '../output/exit-codes.js';
import { note } from '../output/reporter.js';
import type { EventSourcePoller } from '../workers/event-source-poller.js';
import type { LostMessage } from '../workers/held-messages.js';
import type { WorkerProcesses } from '../workers/worker-processes.js';
import type { TasksFlags } from './tasks-option.js';

/** What `local` and `work` start workers with: the event source's settings and the handler's. */
export type WorkerFlags = TasksFlags & {
  concurrency: number;
  batchSize: number;
  functionTimeout: number;
  waitTime: number;
  logLevel: LogLevel;
};

/** What the workers handled so far. */
export type WorkerTally = {
  invocations: number;
  /** Messages handled. */
  records: number;
  /** Of those, the ones left for redelivery. */
  failed: number;
  /** Messages SQS took back from a worker (their visibility lapsed): they run again. */
  lost: number;
};

/** What the supervisor says while the workers run and when they stop. */
export type SupervisorLines = {
  /** The line said every 10 s while the count of handled messages changes. */
  stats: (tally: WorkerTally) => string;
  /** Say it at the first 10 s even if nothing was handled yet. @default false */
  statsWhenIdle?: boolean;
  /** Said at the first Ctrl-C. */
  draining: string;
  /** Said at the second Ctrl-C. @default - nothing */
  stoppingNow?: string;
};

export class WorkerSupervisor implements Disposable {
  readonly tally: WorkerTally = { invocations: 0, records: 0, failed: 0, lost: 0 };
  readonly #interrupts: Interrupts;
  readonly #verbose: boolean;
  #starting = true;

  /**
   * Listens for Ctrl-C from now on: make it first thing in a command. Twice while starting stops at
   * once: there is nothing to drain yet, and worker processes already started see this one go.
   */
  constructor(logLevel: LogLevel) {
    this.#interrupts = interruptible({ second: 'abort' });
    this.#verbose = logLevel === 'DEBUG' || logLevel === 'TRACE' || logLevel === 'INFO';
    void this.#interrupts.stoppedNow().then(() => {
      if (this.#starting) process.exit(EXIT.interrupted);
    });
  }

  /** Counts and notes what worker processes report. */
  watchProcesses(pool: WorkerProcesses): void {
    pool.on('invoked', this.#count);
    pool.on('lost', this.#onLost);
    pool.on('error', ({ pid, message }) => note(`worker ${pid}: ${message}`));
    pool.on('died', ({ pid, code, signal }) => note(`worker ${pid} died (${signal ?? `code ${code}`}); starting another`));
    pool.on('timedOut', ({ pid, records: held, timeoutMs }) =>
      note(`worker ${pid}: an invocation ran past the ${timeoutMs / 1000} s function timeout: killed, as Lambda would; its ${held} record(s) come back after the visibility timeout`),
    );
  }

  /** Counts and notes what the pollers of this process report. */
  watchPollers(poller: EventSourcePoller): void {
    poller.on('invoked', this.#count);
    poller.on('lost', this.#onLost);
    poller.on('error', (error) => note(`worker: ${error.message}`));
  }

  /**
   * The workers are up: says the stats line every 10 s until the first Ctrl-C, then drains with
   * `stop(false)`, or stops now with `stop(true)` at the second. Resolves to the exit code.
   */
  async runUntilInterrupted(lines: SupervisorLines, stop: (force: boolean) => Promise<void>): Promise<number> {
    this.#starting = false;
    let reported = lines.statsWhenIdle ? -1 : 0;
    const stats = setInterval(() => {
      if (this.tally.records === reported) return;
      reported = this.tally.records;
      note(lines.stats(this.tally));
    }, 10_000);

    await this.#interrupts.drained();
    clearInterval(stats);
    note(lines.draining);
    let stoppedNow = false;
    const force = this.#interrupts.stoppedNow().then(() => {
      stoppedNow = true;
      if (lines.stoppingNow) note(lines.stoppingNow);
      return stop(true);
    });
    await Promise.race([stop(false), force]);
    return stoppedNow ? EXIT.interrupted : EXIT.ok;
  }

  /** Stops listening for Ctrl-C. */
  [Symbol.dispose](): void {
    this.#interrupts[Symbol.dispose]();
  }

  readonly #count = (e: { records: number; failed: number }) => {
    this.tally.invocations++;
    this.tally.records += e.records;
    this.tally.failed += e.failed;
  };

  // SQS took a message back (its visibility lapsed under load): it runs again; not an error.
  readonly #onLost = (e: LostMessage & { pid?: number }) => {
    this.tally.lost++;
    if (this.#verbose) note(`worker${e.pid ? ` ${e.pid}` : ''}: message ${e.messageId} was taken back by SQS (${e.operation} refused: ${e.code}); it will run again`);
  };
}
