/** The end of a collect: a summary line, the failures with their reasons, the missing ids. */
import type { Result } from '../../functions/wire/contract.js';
import type { CollectReport } from '../master/collect/collect.js';
import { EXIT } from './exit-codes.js';
import { jsonLine, note, type OutputMode } from './reporter.js';

/** Failures printed one per line before the rest are only counted. */
const SHOWN_FAILURES = 20;

export function exitCodeOf(report: CollectReport): number {
  if (!report.complete) return EXIT.incomplete;
  return report.failed > 0 ? EXIT.jobsFailed : EXIT.ok;
}

export function printSummary(report: CollectReport, failures: readonly Result[], mode: OutputMode, seconds: number): void {
  if (mode === 'json') {
    jsonLine('summary', { ...report, seconds: round(seconds) });
    return;
  }
  for (const failure of failures.slice(0, SHOWN_FAILURES)) {
    if (!failure.ok) note(`job ${failure.id} failed: ${failure.error.name}: ${failure.error.message}`);
  }
  if (failures.length > SHOWN_FAILURES) note(`… and ${failures.length - SHOWN_FAILURES} more failures (see ${report.resultsPath})`);
  const state = report.complete ? 'complete' : `incomplete: ${report.missing.length} missing`;
  note(`run ${report.run}: ${report.done}/${report.jobs} results (${report.ok} ok, ${report.failed} failed) in ${round(seconds)} s, ${state}`);
  if (report.duplicates > 0) note(`dropped ${report.duplicates} duplicate result(s)`);
  if (report.missing.length > 0) note(`missing job ids: ${idRanges(report.missing)}`);
  if (report.deadLettered.length > 0 || report.deadLetteredUnreadable > 0) {
    const unreadable = report.deadLetteredUnreadable > 0 ? ` (+${report.deadLetteredUnreadable} unreadable message(s) of this run)` : '';
    note(`dead-lettered job ids: ${idRanges(report.deadLettered)}${unreadable}; retry them with: fanout redrive --run ${report.run}`);
  }
  note(`results: ${report.resultsPath}`);
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
