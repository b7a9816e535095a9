/**
 * `fanout run`: dispatch and collect at once. With `--local`, on a fresh embedded runtime with
 * local workers: the original framework's demo, printing "Dispatch job i" and "Finished job i".
 */
import { UsageError } from '../../functions/wire/errors.js';
import { dispatchAndCollect } from '../master/dispatch-and-collect.js';
import { MasterEmitter } from '../master/events.js';
import { openRuntime } from '../local/open-runtime.js';
import { jsonLine, note, outputMode } from '../output/reporter.js';
import { exitCodeOf } from '../output/summary.js';
import { collectWithOutput, type ExportFlags } from './collect-command.js';
import { inputsSource, type InputsFlags } from './inputs-option.js';
import { withStore } from './run-store.js';
import type { TargetFlags } from './target-flags.js';
import { loadTasks, pickTask, type TasksFlags } from './tasks-option.js';

export type RunFlags = InputsFlags &
  TargetFlags &
  TasksFlags &
  ExportFlags & {
    local?: boolean;
    task?: string;
    timeout: number;
    json?: boolean;
    pack?: number;
    workers: number;
  };

/** Above this many jobs, per-job lines give way to the progress display. */
const PER_JOB_LINES = 100;

export async function runCommand(flags: RunFlags): Promise<number> {
  if (flags.local && flags.target) throw new UsageError('--local and --target exclude each other: --local runs on its own embedded server');
  const tasks = await loadTasks(flags);
  const task = pickTask(tasks, flags.task);
  const inputs = inputsSource(flags);
  return withStore(async (store) => {
    const opened = await openRuntime({ ...flags, embedded: flags.local ? 'always' : 'never', tasks: tasks.registry, workers: flags.workers });
    opened.runtime?.workers?.on('error', (error) => note(`worker: ${error.message}`));
    const { target } = opened;
    try {
      const mode = outputMode(flags.json);
      const perJob = mode !== 'json' && (inputs.kind !== 'count' || inputs.count <= PER_JOB_LINES);
      const events = new MasterEmitter();
      let shownDispatched = 0;
      let perJobShown = perJob;
      events.on('sent', ({ jobs }) => {
        if (!perJobShown) return;
        for (; shownDispatched < jobs; shownDispatched++) process.stdout.write(`Dispatch job ${shownDispatched}\n`);
      });
      events.on('dispatching', ({ jobs }) => {
        if (jobs !== undefined && jobs > PER_JOB_LINES) perJobShown = false;
      });
      events.on('result', ({ result }) => {
        if (!perJobShown) return;
        process.stdout.write(result.ok ? `Finished job ${result.id}: ${JSON.stringify(result.output)}\n` : `Failed job ${result.id}: ${result.error.name}: ${result.error.message}\n`);
      });

      const { collected } = await dispatchAndCollect({
        dispatch: { target, store, task, tasks: tasks.registry, inputs, jobsPerMessage: flags.pack },
        collect: (run, signal) => collectWithOutput(target, store, store.requireRun(run), flags, { events, failuresShown: perJobShown, signal }),
        events,
        onDispatched: (report) => {
          if (mode === 'json') jsonLine('dispatched', { ...report, task, target: flags.local ? 'embedded' : target.name });
          else if (!perJobShown) note(`dispatched ${report.jobs} jobs in ${report.messages} messages (run ${report.run})`);
        },
      });
      return exitCodeOf(collected);
    } finally {
      await opened.close();
    }
  });
}
