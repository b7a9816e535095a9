import type { Result } from '../../functions/wire/contract.js';
import { collect, type CollectReport } from '../master/collect/collect.js';
import { MasterEmitter } from '../master/events.js';
import { readManifest, type RunManifest } from '../master/manifest.js';
import { getMapping } from '../master/operations/event-source-mapping.js';
import { note, outputMode, showProgress } from '../output/reporter.js';
import { exitCodeOf, printSummary } from '../output/summary.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import type { Target } from '../endpoint/target.js';
import { runTargetOptions, type TargetFlags } from './target-flags.js';

export type CollectFlags = TargetFlags & { run?: string; timeout: number; json?: boolean; out?: string };

export async function collectCommand(flags: CollectFlags): Promise<number> {
  const manifest = await readManifest(flags.run);
  // The run's own target unless told otherwise: its results are where its jobs went.
  const target = await resolveTarget(runTargetOptions(flags, manifest));
  await warnIfPaused(target);
  const report = await collectWithOutput(target, manifest, flags);
  target.sqs.destroy();
  return exitCodeOf(report);
}

/** Collect with the progress display and summary: shared by `collect` and `run`. */
export async function collectWithOutput(
  target: Target,
  manifest: Pick<RunManifest, 'run' | 'jobs'>,
  flags: Pick<CollectFlags, 'timeout' | 'json' | 'out'>,
  events = new MasterEmitter(),
): Promise<CollectReport> {
  const mode = outputMode(flags.json);
  const failures: Result[] = [];
  events.on('result', ({ result }) => {
    if (!result.ok) failures.push(result);
  });
  // Ctrl-C: stop collecting, keep what was written, print where things stand.
  const interrupt = new AbortController();
  const onSignal = () => interrupt.abort();
  process.once('SIGINT', onSignal);
  const started = performance.now();
  const stopProgress = showProgress(events, mode, `collecting ${manifest.run}`, manifest.jobs);
  let report: CollectReport;
  try {
    report = await collect({ target, manifest, timeoutMs: flags.timeout * 1000, events, signal: interrupt.signal, resultsPath: flags.out });
  } finally {
    stopProgress();
    process.off('SIGINT', onSignal);
  }
  printSummary(report, failures, mode, (performance.now() - started) / 1000);
  return report;
}

/** A disabled mapping means no Lambda will run the jobs: say so before waiting for them. */
async function warnIfPaused(target: Target): Promise<void> {
  if (!target.stack) return;
  const mapping = await getMapping(target).catch(() => undefined);
  if (mapping && mapping.state !== 'Enabled' && mapping.state !== 'Enabling') {
    note(`warning: the worker's event source mapping is ${mapping.state}: no job will run until \`fanout resume\``);
  }
}
