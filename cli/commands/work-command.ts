/**
 * `fanout work`: turns this machine into workers for a target (local, LocalStack, AWS), like
 * the original framework's worker nodes. Ctrl-C drains; a second Ctrl-C exits at once.
 */
import type { LogLevel } from '../../functions/wire/constants.js';
import { availableParallelism } from 'node:os';
import { interruptible } from '../interrupts.js';
import { EXIT } from '../output/exit-codes.js';
import { note } from '../output/reporter.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import type { LostMessage } from '../workers/held-messages.js';
import { startWorkers } from '../workers/start-workers.js';
import { visibilityWarning } from '../workers/visibility-check.js';
import { WorkerProcesses } from '../workers/worker-processes.js';
import type { TargetFlags } from './target-flags.js';
import { describeTasks, loadTasks, type TasksFlags } from './tasks-option.js';

export type WorkFlags = TargetFlags & TasksFlags & {
  processes?: number;
  concurrency: number;
  batchSize: number;
  functionTimeout: number;
  waitTime: number;
  logLevel: LogLevel;
};

export async function workCommand(flags: WorkFlags): Promise<number> {
  using interrupts = interruptible({ second: 'abort' });
  let starting = true;
  // Twice while starting: there is nothing to drain yet; worker processes already started see
  // this one go and drain themselves.
  void interrupts.stoppedNow().then(() => {
    if (starting) process.exit(EXIT.interrupted);
  });
  // Loaded here too when worker processes load it themselves: a broken module fails once, in one line.
  const tasks = await loadTasks(flags);
  const target = await resolveTarget(flags);
  const processes = flags.processes ?? availableParallelism();
  const workers = { concurrency: flags.concurrency, batchSize: flags.batchSize, functionTimeoutMs: flags.functionTimeout * 1000, waitTimeSeconds: flags.waitTime, logLevel: flags.logLevel };
  let records = 0;
  let failed = 0;
  let lost = 0;
  const count = (e: { records: number; failed: number }) => {
    records += e.records;
    failed += e.failed;
  };
  // SQS took a message back (its visibility lapsed under load): it runs again; not an error.
  const verbose = flags.logLevel === 'DEBUG' || flags.logLevel === 'TRACE' || flags.logLevel === 'INFO';
  const onLost = (e: LostMessage & { pid?: number }) => {
    lost++;
    if (verbose) note(`worker${e.pid ? ` ${e.pid}` : ''}: message ${e.messageId} was taken back by SQS (${e.operation} refused: ${e.code}); it will run again`);
  };

  let stop: (force: boolean) => Promise<void>;
  if (processes === 0) {
    const poller = await startWorkers({ ...workers, target, tasks: tasks.registry });
    poller.on('invoked', count);
    poller.on('lost', onLost);
    poller.on('error', (error) => note(`worker: ${error.message}`));
    stop = (force) => poller.stop({ abort: force });
    note(`fanout work: ${flags.concurrency} poller(s) in this process on ${target.where}`);
  } else {
    const pool = new WorkerProcesses({ ...workers, target, processes, tasksModule: tasks.module });
    pool.on('invoked', count);
    pool.on('lost', onLost);
    pool.on('error', ({ pid, message }) => note(`worker ${pid}: ${message}`));
    pool.on('died', ({ pid, code, signal }) => note(`worker ${pid} died (${signal ?? `code ${code}`}); starting another`));
    pool.on('timedOut', ({ pid, records: held, timeoutMs }) =>
      note(`worker ${pid}: an invocation ran past the ${timeoutMs / 1000} s function timeout: killed, as Lambda would; its ${held} record(s) come back after the visibility timeout`),
    );
    await pool.start();
    stop = (force) => pool.stop({ force });
    note(`fanout work: ${processes} process(es) × ${flags.concurrency} poller(s) on ${target.where}`);
  }
  note(`  tasks: ${describeTasks(tasks)}`);
  const warning = await visibilityWarning(target, workers.functionTimeoutMs);
  if (warning) note(`warning: ${warning}`);
  note('Ctrl-C to drain and stop; twice to stop at once');
  starting = false;
  let reported = -1;
  const stats = setInterval(() => {
    if (records === reported) return;
    reported = records;
    note(`handled ${records} message(s), ${failed} left for redelivery${lost ? `, ${lost} taken back by SQS` : ''}`);
  }, 10_000);

  await interrupts.drained();
  clearInterval(stats);
  note('draining: finishing running batches (Ctrl-C again to stop now)…');
  let stoppedNow = false;
  const force = interrupts.stoppedNow().then(() => {
    stoppedNow = true;
    note('stopping now: what was running comes back after its visibility timeout');
    return stop(true);
  });
  await Promise.race([stop(false), force]);
  target.sqs.destroy();
  note(`stopped after ${records} message(s)`);
  return stoppedNow ? EXIT.interrupted : EXIT.ok;
}
