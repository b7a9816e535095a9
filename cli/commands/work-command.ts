/**
 * `fanout work`: turns this machine into workers for a target (local, LocalStack, AWS), like
 * the original framework's worker nodes. Ctrl-C drains; a second Ctrl-C exits at once.
 */
import { availableParallelism } from 'node:os';
import { note } from '../output/reporter.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import { startWorkers } from '../workers/start-workers.js';
import { visibilityWarning } from '../workers/visibility-check.js';
import { WorkerProcesses } from '../workers/worker-processes.js';
import { WorkerSupervisor, type WorkerFlags } from './supervise-workers.js';
import type { TargetFlags } from './target-flags.js';
import { describeTasks, loadTasks } from './tasks-option.js';

export type WorkFlags = TargetFlags & WorkerFlags & {
  processes?: number;
};

export async function workCommand(flags: WorkFlags): Promise<number> {
  using supervisor = new WorkerSupervisor(flags.logLevel);
  // Loaded here too when worker processes load it themselves: a broken module fails once, in one line.
  const tasks = await loadTasks(flags);
  const target = await resolveTarget(flags);
  const processes = flags.processes ?? availableParallelism();
  const workers = { concurrency: flags.concurrency, batchSize: flags.batchSize, functionTimeoutMs: flags.functionTimeout * 1000, waitTimeSeconds: flags.waitTime, logLevel: flags.logLevel };

  let stop: (force: boolean) => Promise<void>;
  if (processes === 0) {
    const poller = await startWorkers({ ...workers, target, tasks: tasks.registry });
    supervisor.watchPollers(poller);
    stop = (force) => poller.stop({ abort: force });
    note(`fanout work: ${flags.concurrency} poller(s) in this process on ${target.where}`);
  } else {
    const pool = new WorkerProcesses({ ...workers, target, processes, tasksModule: tasks.module });
    supervisor.watchProcesses(pool);
    await pool.start();
    stop = (force) => pool.stop({ force });
    note(`fanout work: ${processes} process(es) × ${flags.concurrency} poller(s) on ${target.where}`);
  }
  note(`  tasks: ${describeTasks(tasks)}`);
  const warning = await visibilityWarning(target, workers.functionTimeoutMs);
  if (warning) note(`warning: ${warning}`);
  note('Ctrl-C to drain and stop; twice to stop at once');
  const code = await supervisor.runUntilInterrupted(
    {
      stats: ({ records, failed, lost }) => `handled ${records} message(s), ${failed} left for redelivery${lost ? `, ${lost} taken back by SQS` : ''}`,
      statsWhenIdle: true,
      draining: 'draining: finishing running batches (Ctrl-C again to stop now)…',
      stoppingNow: 'stopping now: what was running comes back after its visibility timeout',
    },
    stop,
  );
  target.sqs.destroy();
  note(`stopped after ${supervisor.tally.records} message(s)`);
  return code;
}
