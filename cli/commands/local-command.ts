/**
 * `fanout local`: an embedded SQS server with local workers that stays up, like the original's
 * master in its own terminal. Its endpoint is recorded so `fanout dispatch` / `collect` in other
 * terminals find it (`--target local`, the default). The server runs in this process, the
 * workers in child processes: a CPU-bound job never delays an SQS request, and an invocation
 * that overruns the function timeout is killed, as on Lambda.
 *
 * Queues and messages are kept in `.fanout/local/` (SQLite): a restart, even after `kill -9`,
 * loses nothing queued or in flight. `--memory` keeps them in memory only; `--reset` wipes them.
 *
 * Ctrl-C drains (the workers finish their running batches), then stops the server; a second
 * Ctrl-C stops at once.
 */
import { UsageError } from '../../functions/wire/errors.js';
import { startLocalRuntime } from '../local/local-runtime.js';
import { note } from '../output/reporter.js';
import { claimLocalState, localDataDir, releaseLocalState, runningLocal } from '../endpoint/local-state.js';
import { visibilityWarning } from '../workers/visibility-check.js';
import { WorkerSupervisor, type WorkerFlags } from './supervise-workers.js';
import { describeTasks, loadTasks } from './tasks-option.js';

export type LocalFlags = WorkerFlags & {
  port: number;
  /** Keep queues and messages in memory only (lost when this process ends). */
  memory?: boolean;
  /** Delete the kept queues and messages before starting. */
  reset?: boolean;
  workers: number;
};

export async function localCommand(flags: LocalFlags): Promise<number> {
  using supervisor = new WorkerSupervisor(flags.logLevel);
  if (flags.memory && flags.reset) throw new UsageError('--memory and --reset exclude each other: --memory keeps nothing to reset');
  const other = await runningLocal();
  if (other) throw new UsageError(`a fanout local is already running here (pid ${other.pid}, ${other.endpoint}): use it, stop it, or set FANOUT_HOME elsewhere`);
  const dataDir = flags.memory ? undefined : localDataDir();
  const tasks = await loadTasks(flags);
  const runtime = await startLocalRuntime({
    port: flags.port,
    dataDir,
    reset: flags.reset,
    workers:
      flags.workers > 0
        ? {
            processes: flags.workers,
            concurrency: flags.concurrency,
            batchSize: flags.batchSize,
            functionTimeoutMs: flags.functionTimeout * 1000,
            waitTimeSeconds: flags.waitTime,
            logLevel: flags.logLevel,
            tasksModule: tasks.module,
          }
        : false,
  });
  try {
    // Two started at once both pass the check above (with --memory no data-directory lock stops the second).
    await claimLocalState({ endpoint: runtime.endpoint, pid: process.pid, startedAt: new Date().toISOString(), credentials: runtime.credentials });
  } catch (error) {
    await runtime.stop({ force: true });
    throw error;
  }

  const pool = runtime.workerProcesses;
  if (pool) supervisor.watchProcesses(pool);
  const workers = flags.workers > 0 ? `${flags.workers} worker process(es) × ${flags.concurrency} poller(s)` : 'no workers (`fanout work` adds some)';
  note(`fanout local: SQS on ${runtime.endpoint}, ${workers}`);
  if (flags.workers > 0) note(`  tasks: ${describeTasks(tasks)}`);
  note(`  queues: ${Object.values(runtime.target.queues).map((q) => q.url).join(', ')}`);
  const kept = runtime.recovered;
  if (!dataDir) note('  in memory only (--memory): queued jobs and results are lost when this stops');
  else if (!kept || kept.messages === 0) note(`  kept in ${dataDir}${flags.reset ? ' (wiped first)' : ''}: \`fanout local --reset\` wipes it`);
  else note(`  kept in ${dataDir}: found ${kept.messages} message(s)${kept.released ? `, ${kept.released} job message(s) in flight made receivable again` : ''}; \`fanout local --reset\` wipes them`);
  const warning = pool ? await visibilityWarning(runtime.target, flags.functionTimeout * 1000) : undefined;
  if (warning) note(`  warning: ${warning}`);
  note('  in another terminal: npx fanout dispatch && npx fanout collect');
  note('  Ctrl-C to stop (the workers finish their running batches); twice to stop at once');
  const code = await supervisor.runUntilInterrupted(
    {
      stats: ({ records, invocations, lost }) => `handled ${records} message(s) in ${invocations} invocation(s)${lost ? `, ${lost} taken back by SQS` : ''}`,
      draining: 'stopping: the workers finish their running batches (Ctrl-C again to stop now)…',
    },
    (force) => (force ? runtime.stop({ force: true }) : runtime.stop()),
  );
  await releaseLocalState();
  return code;
}
