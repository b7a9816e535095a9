/**
 * Local workers spread over child processes, so CPU-bound tasks use every core. A supervisor:
 * a child that dies unexpectedly (a crash, `kill -9`) is replaced; its in-flight messages
 * reappear after their visibility timeout and are handled by the others.
 *
 * Signals: the children are not in the terminal's process group, so Ctrl-C reaches only the
 * parent; `stop()` asks them to drain (SIGTERM), `stop({ force: true })` kills them.
 *
 * The function timeout is enforced here, as Lambda enforces it: each child tells the parent when
 * an invocation starts, and a child whose invocation has not ended within `functionTimeoutMs` is
 * killed (a CPU-bound job cannot be interrupted otherwise) and replaced. Its records come back
 * after the visibility timeout, so the job never runs twice at once. A child runs `concurrency`
 * invocations; the others in it are cut short too and come back the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Target } from '../endpoint/target.js';
import type { LostMessage } from './held-messages.js';
import type { WorkerPoolOptions } from './start-workers.js';
import {
  WORKER_CONFIG_ENV,
  type WorkerProcessConfig,
  type WorkerProcessMessage,
  type WorkerProcessRequest,
  type WorkerProcessStats,
} from './worker-process-config.js';

const RESPAWN_DELAY_MS = 200;
const MAX_FAILED_STARTS = 5;

export type WorkerProcessesOptions = Omit<WorkerPoolOptions, 'target' | 'tasks'> & {
  target: Target;
  /** Child processes. @default - one per core */
  processes: number;
  /** Replace children that die unexpectedly. @default true */
  respawn?: boolean;
  /** Extra environment for the children (e.g. NODE_OPTIONS preloading instrumentation). @default - none */
  env?: NodeJS.ProcessEnv;
  /** The tasks module each child loads, by path (a registry cannot cross processes). @default - the built-in tasks */
  tasksModule?: string;
};

export interface WorkerProcessesEvents {
  /** A child is up and polling. */
  ready: [{ pid: number }];
  /** A child handled a batch. */
  invoked: [{ pid: number; records: number; failed: number }];
  /** A child's poller could not extend or delete a message SQS had taken back: it runs again. Not an error. */
  lost: [{ pid: number } & LostMessage];
  /** A child's invocation ran past the function timeout: the child was killed, and is replaced unless stopping. */
  timedOut: [{ pid: number; records: number; timeoutMs: number }];
  /** A child died without being asked to; it is replaced unless stopping. */
  died: [{ pid: number; code: number | null; signal: NodeJS.Signals | null }];
  error: [{ pid: number; message: string }];
}

/**
 * The young generation of a worker process, capped: under a stream of small batches V8 would grow
 * it to 64 MB a semi-space (128 MB of RSS) for no gain in speed (docs/performance.md, memory).
 */
const CHILD_V8_FLAGS = ['--max-semi-space-size=16'];

/** The module each child runs: compiled JS normally, TypeScript through tsx when running from source. */
function childModule(): { path: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(fromSource ? './worker-process.ts' : './worker-process.js', import.meta.url));
  return { path, execArgv: [...CHILD_V8_FLAGS, ...(fromSource ? ['--import', 'tsx'] : [])] };
}

export class WorkerProcesses extends EventEmitter<WorkerProcessesEvents> {
  readonly #options: WorkerProcessesOptions;
  readonly #children = new Set<ChildProcess>();
  #stopping = false;
  /** Children that died before they were ready, in a row: a broken setup, not bad luck. */
  #failedStarts = 0;

  constructor(options: WorkerProcessesOptions) {
    super();
    if (!Number.isInteger(options.processes) || options.processes < 1) {
      throw new RangeError(`processes must be a positive integer (given ${options.processes})`);
    }
    this.#options = options;
  }

  get pids(): number[] {
    return [...this.#children].map((c) => c.pid!);
  }

  /** Starts the children; resolves when every one is polling. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.#options.processes }, () => this.#spawn()));
  }

  /** What each running child has used so far (SQS requests, peak RSS, CPU), asked over IPC. */
  async stats(timeoutMs = 10_000): Promise<WorkerProcessStats[]> {
    return Promise.all(
      [...this.#children].map(async (child) => {
        const reply = new Promise<WorkerProcessStats>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`worker process ${child.pid} did not report its stats within ${timeoutMs} ms`)), timeoutMs);
          const onMessage = (message: WorkerProcessMessage) => {
            if (message.type !== 'stats') return;
            clearTimeout(timer);
            child.off('message', onMessage);
            const { type: _type, ...stats } = message;
            resolve(stats);
          };
          child.on('message', onMessage);
        });
        child.send({ type: 'stats' } satisfies WorkerProcessRequest);
        return reply;
      }),
    );
  }

  /**
   * Asks every child to drain and waits for them to exit. With `force`, kills them at once
   * (their in-flight messages come back after the visibility timeout). Idempotent.
   */
  async stop(options: { force?: boolean } = {}): Promise<void> {
    this.#stopping = true;
    const children = [...this.#children];
    for (const child of children) child.kill(options.force ? 'SIGKILL' : 'SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? once(child, 'exit') : undefined)));
  }

  #spawn(): Promise<void> {
    const { target, processes: _processes, respawn: _respawn, env, tasksModule, ...workers } = this.#options;
    const config: WorkerProcessConfig = {
      target: { name: target.name, connection: target.connection, where: target.where, queues: target.queues },
      workers,
      tasksModule,
    };
    const { path, execArgv } = childModule();
    const child = fork(path, [], {
      execArgv,
      env: { ...process.env, ...env, [WORKER_CONFIG_ENV]: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Its own process group: a terminal's Ctrl-C (SIGINT to the foreground group) reaches the
      // parent only, which alone decides: drain (SIGTERM), or stop now (SIGKILL). A child whose
      // parent is gone notices the IPC channel close and drains (worker-process.ts): no orphans.
      detached: true,
    });
    this.#children.add(child);
    const pid = child.pid!;
    /** Running invocations' deadlines, by the child's invocation id. */
    const deadlines = new Map<number, NodeJS.Timeout>();
    let timedOut = false;
    return new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkerProcessMessage) => {
        if (message.type === 'ready') {
          this.#failedStarts = 0;
          this.emit('ready', { pid });
          resolve();
        } else if (message.type === 'invoking') {
          const deadline = setTimeout(() => {
            if (timedOut) return;
            timedOut = true;
            child.kill('SIGKILL');
            this.emit('timedOut', { pid, records: message.records, timeoutMs: message.timeoutMs });
          }, message.timeoutMs);
          deadline.unref();
          deadlines.set(message.id, deadline);
        } else if (message.type === 'invoked') {
          clearTimeout(deadlines.get(message.id));
          deadlines.delete(message.id);
          this.emit('invoked', { pid, records: message.records, failed: message.failed });
        } else if (message.type === 'lost') this.emit('lost', { pid, messageId: message.messageId, operation: message.operation, code: message.code });
        else if (message.type === 'error') this.emit('error', { pid, message: message.message });
      });
      let ready = false;
      child.once('message', () => (ready = true));
      child.on('exit', (code, signal) => {
        this.#children.delete(child);
        for (const deadline of deadlines.values()) clearTimeout(deadline);
        reject(new Error(`worker process ${pid} exited before it was ready (code ${code}, signal ${signal})`));
        if (this.#stopping) return;
        // Killed for an overrun: reported as `timedOut` already.
        if (!timedOut) this.emit('died', { pid, code, signal });
        if (!ready && ++this.#failedStarts >= MAX_FAILED_STARTS) {
          this.emit('error', { pid, message: `${MAX_FAILED_STARTS} worker processes in a row died before they were ready: not replacing them` });
          return;
        }
        if (this.#options.respawn ?? true) {
          setTimeout(() => void this.#spawn().catch(() => {}), RESPAWN_DELAY_MS).unref();
        }
      });
    });
  }
}
