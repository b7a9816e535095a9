/**
 * `fanout local`: an embedded SQS server with local workers that stays up, like the original's
 * master in its own terminal. Its endpoint is recorded so `fanout dispatch` / `collect` in other
 * terminals find it (`--target local`, the default).
 */
import type { LogLevel } from '../../functions/wire/constants.js';
import { startLocalRuntime } from '../local/local-runtime.js';
import { note } from '../output/reporter.js';
import { nextStopSignal } from './signals.js';
import { removeLocalState, writeLocalState } from '../endpoint/local-state.js';
import { describeTasks, loadTasks, type TasksFlags } from './tasks-option.js';

export type LocalFlags = TasksFlags & { port: number; workers: number; batchSize: number; logLevel: LogLevel };

export async function localCommand(flags: LocalFlags): Promise<number> {
  const tasks = await loadTasks(flags);
  const runtime = await startLocalRuntime({
    port: flags.port,
    workers: flags.workers > 0 ? { concurrency: flags.workers, batchSize: flags.batchSize, logLevel: flags.logLevel, tasks: tasks.registry } : false,
  });
  await writeLocalState({ endpoint: runtime.endpoint, pid: process.pid, startedAt: new Date().toISOString() });

  let invocations = 0;
  let records = 0;
  runtime.workers?.on('invoked', (e) => {
    invocations++;
    records += e.records;
  });
  runtime.workers?.on('error', (error) => note(`worker: ${error.message}`));
  note(`fanout local: SQS on ${runtime.endpoint}, ${flags.workers} local worker poller(s)`);
  if (flags.workers > 0) note(`  tasks: ${describeTasks(tasks)}`);
  note(`  queues: ${Object.values(runtime.target.queues).map((q) => q.url).join(', ')}`);
  note('  in another terminal: npx fanout dispatch && npx fanout collect');
  note('  Ctrl-C to stop');
  let reported = 0;
  const stats = setInterval(() => {
    if (records === reported) return;
    reported = records;
    note(`handled ${records} message(s) in ${invocations} invocation(s)`);
  }, 10_000);

  await nextStopSignal();
  clearInterval(stats);
  note('stopping…');
  await removeLocalState();
  await runtime.stop();
  return 0;
}
