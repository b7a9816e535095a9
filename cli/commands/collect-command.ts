/** `fanout collect`: gather a run's results into the run store; optionally export them. */
import { once } from 'node:events';
import { collect, type CollectReport } from '../master/collect/collect.js';
import { MasterEmitter } from '../master/events.js';
import { getMapping } from '../master/operations/event-source-mapping.js';
import { exportResults, type ExportFormat } from '../store/export-results.js';
import type { RunStore } from '../store/run-store.js';
import type { RunRecord } from '../store/types.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import type { Target } from '../endpoint/target.js';
import { interruptible } from '../interrupts.js';
import { JobSet } from '../output/job-set.js';
import { jsonLine, note, outputMode, showProgress } from '../output/reporter.js';
import { exitCodeOf, printSummary } from '../output/summary.js';
import { pickRun, withStore } from './run-store.js';
import { runTargetOptions, type TargetFlags } from './target-flags.js';

export type ExportFlags = { out?: string; format: ExportFormat; force?: boolean };
export type CollectFlags = TargetFlags & ExportFlags & { run?: string; timeout: number; json?: boolean };

export async function collectCommand(flags: CollectFlags): Promise<number> {
  return withStore(async (store) => {
    const record = pickRun(store, flags.run);
    // The run's own target unless told otherwise: its results are where its jobs went.
    const target = await resolveTarget(runTargetOptions(flags, record));
    try {
      await warnIfPaused(target);
      return exitCodeOf(await collectWithOutput(target, store, record, flags));
    } finally {
      target.close();
    }
  });
}

export type CollectOutputOptions = {
  events?: MasterEmitter;
  /** Failures are printed one per line as they come (by the caller): the summary does not repeat them. */
  failuresShown?: boolean;
  /** Stops collecting (Ctrl-C is handled here as well). */
  signal?: AbortSignal;
};

/** Collect with the progress display, the export and the summary: shared by `collect` and `run`. */
export async function collectWithOutput(
  target: Target,
  store: RunStore,
  record: RunRecord,
  flags: Pick<CollectFlags, 'timeout' | 'json' | 'out' | 'format' | 'force'>,
  options: CollectOutputOptions = {},
): Promise<CollectReport> {
  const mode = outputMode(flags.json);
  const events = options.events ?? new MasterEmitter();
  // --json: every result of the run, once — those stored by an earlier collect first, those
  // this one stores as they come, and at the end those another collector stored meanwhile.
  const printed = mode === 'json' ? new JobSet() : undefined;
  const onPrinted = ({ result }: { result: { id: number } }) => printed?.add(result.id);
  if (printed) {
    await printStoredResults(store, record.id, printed);
    events.on('result', onPrinted);
  }
  // Ctrl-C: stop collecting, keep what was stored, print where things stand.
  using interrupts = interruptible();
  const signal = options.signal ? AbortSignal.any([interrupts.drain, options.signal]) : interrupts.drain;
  const started = performance.now();
  const total = () => store.getRun(record.id)?.jobs;
  const stopProgress = showProgress(events, mode, { label: `collecting ${record.id}`, total, done: record.counts.done });
  let report: CollectReport;
  try {
    // --json writes a line per result: a reader slower than the collector holds it back (stdout to a
    // pipe is asynchronous: unread lines would pile up in memory).
    const pace = mode === 'json' ? stdoutDrained : undefined;
    report = await collect({ target, store, run: record.id, timeoutMs: flags.timeout * 1000, events, signal, pace });
  } finally {
    stopProgress();
    events.off('result', onPrinted);
  }
  if (printed && printed.size < store.requireRun(record.id).counts.done) await printStoredResults(store, record.id, printed);
  let exportedTo: string | undefined;
  if (flags.out !== undefined) {
    await exportResults(store, record.id, { path: flags.out, format: flags.format, force: flags.force });
    exportedTo = flags.out;
  }
  printSummary(report, store, { mode, seconds: (performance.now() - started) / 1000, failuresShown: options.failuresShown, exportedTo });
  return report;
}

/** A `result` line for each stored result of `run` not in `printed`, at the reader's pace. */
async function printStoredResults(store: RunStore, run: string, printed: JobSet): Promise<void> {
  for (const result of store.results(run)) {
    if (!printed.add(result.id)) continue;
    jsonLine('result', { run, ...result });
    const drained = stdoutDrained();
    if (drained) await drained;
  }
}

/** Resolves once stdout has room again; at once (no promise) when it has. */
function stdoutDrained(): Promise<unknown> | undefined {
  return process.stdout.writableNeedDrain ? once(process.stdout, 'drain') : undefined;
}

/** A disabled mapping means no Lambda will run the jobs: say so before waiting for them. */
async function warnIfPaused(target: Target): Promise<void> {
  if (!target.stack) return;
  const mapping = await getMapping(target).catch(() => undefined);
  if (mapping && mapping.state !== 'Enabled' && mapping.state !== 'Enabling') {
    note(`warning: the worker's event source mapping is ${mapping.state}: no job will run until \`fanout resume\``);
  }
}
