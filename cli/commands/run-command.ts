/**
 * `fanout run`: dispatch and collect at once. With `--local`, on a fresh embedded runtime with
 * local workers: the original framework's demo, printing "Dispatch job i" and "Finished job i".
 */
import { once } from 'node:events';
import { UsageError } from '../../functions/wire/errors.js';
import { dispatch } from '../master/dispatch/dispatch.js';
import { MasterEmitter } from '../master/events.js';
import { startLocalRuntime, type LocalRuntime } from '../local/local-runtime.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import type { Target } from '../endpoint/target.js';
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
    let runtime: LocalRuntime | undefined;
    let target: Target;
    if (flags.local) {
      runtime = await startLocalRuntime({ workers: { concurrency: flags.workers, tasks: tasks.registry } });
      runtime.workers?.on('error', (error) => note(`worker: ${error.message}`));
      target = runtime.target;
    } else {
      target = await resolveTarget(flags);
    }
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

      const stop = new AbortController();
      const dispatched = dispatch({ target, store, task, tasks: tasks.registry, inputs, jobsPerMessage: flags.pack, events, signal: stop.signal });
      const started = await Promise.race([once(events, 'dispatching').then(([e]) => e as { run: string }), dispatched.then(() => undefined)]);
      // The run exists (and its queue) once dispatch says so; collect alongside the rest of the sending.
      const run = started?.run ?? (await dispatched).run;
      // Whichever of dispatch and collect fails first stops the other, and its error is the one
      // reported: a full store while sending must not surface as dispatch's abort (or unhandled).
      let failure: { error: unknown } | undefined;
      const fail = (error: unknown): undefined => {
        failure ??= { error };
        stop.abort();
        return undefined;
      };
      const sent = dispatched.then((report) => {
        // Said once the sending ends, while collecting goes on.
        if (mode === 'json') jsonLine('dispatched', { ...report, task, target: flags.local ? 'embedded' : target.name });
        else if (!perJobShown) note(`dispatched ${report.jobs} jobs in ${report.messages} messages (run ${report.run})`);
        return report;
      });
      const [report, collected] = await Promise.all([
        sent.catch(fail),
        collectWithOutput(target, store, store.requireRun(run), flags, { events, failuresShown: perJobShown, signal: stop.signal }).catch(fail),
      ]);
      if (!report || !collected) throw failure!.error;
      return exitCodeOf(collected);
    } finally {
      if (runtime) await runtime.stop();
      else target.close();
    }
  });
}
