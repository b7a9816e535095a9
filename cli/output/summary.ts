/** The end of a collect: a summary line, the failures and conflicts with their reasons, the missing ids. */
import type { CollectReport } from '../master/collect/collect.js';
import type { RunStore } from '../store/run-store.js';
import type { Outcome } from '../store/types.js';
import { EXIT } from './exit-codes.js';
import { jsonLine, note, peakRssMb, type OutputMode } from './reporter.js';

/** Failures and conflicts printed one per line before the rest are only counted. */
const SHOWN = 20;

export function exitCodeOf(report: CollectReport): number {
  if (!report.complete) return EXIT.incomplete;
  return report.ok ? EXIT.ok : EXIT.jobsFailed;
}

export type SummaryOptions = {
  mode: OutputMode;
  seconds: number;
  /** Failures were already printed one per line as they came (`run` with few jobs). */
  failuresShown?: boolean;
  /** Where the results were exported, if they were. */
  exportedTo?: string;
};

export function printSummary(report: CollectReport, store: RunStore, options: SummaryOptions): void {
  const { counts } = report;
  if (options.mode === 'json') {
    jsonLine('summary', { ...report, seconds: round(options.seconds), store: store.path, ...(options.exportedTo && { exportedTo: options.exportedTo }), peakRssMb: peakRssMb() });
    return;
  }
  if (!options.failuresShown && counts.failed > 0) {
    for (const failure of store.failures(report.run, SHOWN)) if (!failure.ok) note(`job ${failure.id} failed: ${failure.error.name}: ${failure.error.message}`);
    if (counts.failed > SHOWN) note(`… and ${counts.failed - SHOWN} more failures (\`fanout results ${report.run}\` lists them all)`);
  }
  for (const conflict of report.conflicts.slice(0, SHOWN)) {
    note(`job ${conflict.job} has conflicting results: kept ${describe(conflict.kept)}; also received ${describe(conflict.other)}${conflict.other.worker ? ` from ${conflict.other.worker}` : ''}`);
  }
  const expected = report.jobs ?? report.jobsSent;
  const state = report.complete ? 'complete' : report.state === 'interrupted' ? 'dispatch interrupted' : `incomplete: ${report.missingCount} missing`;
  note(`run ${report.run}: ${counts.done}/${report.jobs ?? `${expected}+`} results (${counts.ok} ok, ${counts.failed} failed) in ${round(options.seconds)} s, ${state}`);
  if (counts.conflicts > 0) note(`${counts.conflicts} conflicting result(s): the first result of each job is kept, the others are in the store`);
  if (counts.duplicates > 0) note(`dropped ${counts.duplicates} repeated result(s)`);
  if (counts.quarantined > 0) note(`${counts.quarantined} malformed result message(s) kept in quarantine in ${store.path}`);
  if (report.state === 'interrupted') note(`dispatch stopped after ${report.jobsSent} job(s): send the rest with \`fanout dispatch --resume ${report.run}\``);
  else if (report.missingCount > 0) note(`missing job ids: ${idRanges(report.missing)}${report.missingCount > report.missing.length ? ` (${report.missingCount} in all)` : ''}`);
  if (report.deadLettered.length > 0 || report.deadLetteredUnreadable > 0) {
    const unreadable = report.deadLetteredUnreadable > 0 ? ` (+${report.deadLetteredUnreadable} unreadable message(s) of this run)` : '';
    note(`dead-lettered job ids: ${idRanges(report.deadLettered)}${unreadable}; retry them with: fanout redrive --run ${report.run}`);
  }
  note(options.exportedTo ? `results: ${options.exportedTo}` : `results: \`fanout results ${report.run}\` (stored in ${store.path})`);
}

function describe(outcome: Outcome): string {
  return outcome.ok ? `ok ${JSON.stringify(outcome.output)}` : `${outcome.error.name}: ${outcome.error.message}`;
}

/** 1,2,3,7,9,10 → "1-3, 7, 9-10": a long list of ids stays readable. */
export function idRanges(ids: readonly number[], max = 50): string {
  const ranges: string[] = [];
  for (let i = 0; i < ids.length && ranges.length < max; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    ranges.push(i === j ? `${ids[i]}` : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  const shown = ranges.join(', ');
  return ranges.length === max ? `${shown}, …` : shown;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
