/** `fanout dispatch`: send jobs (or the rest of an interrupted run); prints the run id alone on stdout. */
import { UsageError } from '../../functions/wire/errors.js';
import { dispatch, type DispatchReport } from '../master/dispatch/dispatch.js';
import { MasterEmitter } from '../master/events.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import { EXIT } from '../output/exit-codes.js';
import { jsonLine, note, outputMode, peakRssMb } from '../output/reporter.js';
import { interruptible } from '../interrupts.js';
import { inputsSource, type InputsFlags } from './inputs-option.js';
import { estimateFromSample } from '../estimate/estimate-from-sample.js';
import { lambdaSettings, prices, type CostFlags } from './cost-flags.js';
import { withStore } from './run-store.js';
import { runTargetOptions, type TargetFlags } from './target-flags.js';
import type { LoadedTasks } from '../config/load-tasks.js';
import { loadTasks, pickTask, type TasksFlags } from './tasks-option.js';

export type DispatchFlags = InputsFlags & TargetFlags & TasksFlags & CostFlags & { task?: string; pack?: number; json?: boolean; resume?: string; run?: string; maxCost?: number };

/** `RUN=$(fanout dispatch)` works: the run id is all that goes to stdout; the rest goes to stderr. */
export async function dispatchCommand(flags: DispatchFlags): Promise<number> {
  if (flags.resume !== undefined && flags.run !== undefined) throw new UsageError('--resume names the run already: drop --run');
  if (flags.resume !== undefined && (flags.count !== undefined || flags.pack !== undefined)) {
    throw new UsageError('--resume continues a run as it was dispatched: drop --count and --pack (give --inputs only for a run read from stdin)');
  }
  // The tasks the workers run: inputs are checked against their schemas before anything is sent.
  const tasks = await loadTasks(flags);
  if (flags.maxCost !== undefined) await refuseAboveCost(flags, tasks);
  return withStore(async (store) => {
    const resumed = flags.resume !== undefined ? store.requireRun(flags.resume) : undefined;
    const task = resumed ? undefined : pickTask(tasks, flags.task);
    const target = await resolveTarget(resumed ? runTargetOptions(flags, resumed) : flags);
    const mode = outputMode(flags.json);
    const events = new MasterEmitter();
    const stopProgress = showSent(events, mode === 'json');
    // Once: finish the window in flight and record it. Twice: now (the run stays resumable).
    using interrupts = interruptible();
    let report: DispatchReport;
    try {
      report = await dispatch({
        target,
        store,
        task,
        tasks: tasks.registry,
        inputs: resumed && flags.inputs === undefined ? undefined : inputsSource(flags),
        resume: flags.resume,
        run: flags.run,
        jobsPerMessage: flags.pack,
        events,
        signal: interrupts.drain,
      });
    } finally {
      stopProgress();
      target.close();
    }
    const { task: ran } = store.requireRun(report.run);
    if (mode === 'json') jsonLine('dispatched', { ...report, task: ran, target: target.name, endpoint: target.where, store: store.path, peakRssMb: peakRssMb() });
    else if (report.interrupted) {
      note(`interrupted: ${report.jobsSent} job(s) of run ${report.run} sent; send the rest with: fanout dispatch --resume ${report.run}`);
    } else {
      note(`dispatched ${report.jobs} ${ran} job(s) in ${report.messages} message(s) to ${target.name} (${target.where})`);
      process.stdout.write(`${report.run}\n`);
    }
    return report.interrupted ? EXIT.interrupted : EXIT.ok;
  });
}

/** `--max-cost USD`: the run's estimate (from a sample run here) must not exceed it; nothing is sent otherwise. */
async function refuseAboveCost(flags: DispatchFlags, tasks: LoadedTasks): Promise<void> {
  if (flags.resume !== undefined) throw new UsageError('--max-cost applies to a new run, not to --resume');
  if (flags.inputs === '-') throw new UsageError('--max-cost needs inputs that can be read twice (a file or --count), not standard input');
  const task = pickTask(tasks, flags.task);
  const { estimate } = await estimateFromSample({ tasks: tasks.registry, task, inputs: inputsSource(flags), sample: 5, jobsPerMessage: flags.pack, lambda: lambdaSettings(flags), prices: await prices(flags) });
  if (estimate.totalUsd > flags.maxCost!) {
    throw new UsageError(`the run's estimate is $${estimate.totalUsd.toPrecision(3)}, above --max-cost $${flags.maxCost} (\`fanout estimate\` shows the lines): nothing sent`);
  }
}

/** A line every two seconds while a long dispatch sends (nothing for a short one). */
function showSent(events: MasterEmitter, quiet: boolean): () => void {
  if (quiet) return () => {};
  let latest: { run: string; jobs: number; totalJobs: number | undefined } | undefined;
  let shown = -1;
  events.on('sent', (sent) => (latest = sent));
  const timer = setInterval(() => {
    if (!latest || latest.jobs === shown) return;
    shown = latest.jobs;
    note(`dispatching ${latest.run}: ${latest.jobs}/${latest.totalJobs ?? '?'} jobs sent`);
  }, 2000);
  timer.unref();
  return () => clearInterval(timer);
}
