/**
 * The scaling prediction for people: one line per mode (wall time, how the limit grows and where
 * it stops), then the ramp, concurrent invocations at a few moments of the run.
 */
import type { RunScaling } from './run-scaling.js';
import { formatCount, formatDuration } from './numbers.js';
import type { ConcurrencyPoint, ScalingPrediction } from './scaling.js';

/** Moments the ramp is shown at, up to the longer wall time. */
const MARKS: Array<[number, string]> = [
  [0, 'start'], [10_000, '10 s'], [30_000, '30 s'], [60_000, '1 min'], [120_000, '2 min'], [300_000, '5 min'], [600_000, '10 min'],
  [1_800_000, '30 min'], [3_600_000, '1 h'], [7_200_000, '2 h'], [21_600_000, '6 h'], [43_200_000, '12 h'], [86_400_000, '1 day'],
];

const CAP_BY: Record<ScalingPrediction['capBy'], string> = {
  maxConcurrency: 'its maxConcurrency',
  pollers: 'its maximum pollers × 10',
  account: "the account's concurrency",
  'reserved concurrency': "the worker's reserved concurrency",
  'event source': "the event source's own limit",
};

export function formatScaling(scaling: RunScaling): string[] {
  const rows = [
    [`standard mode, maxConcurrency ${scalingLabel(scaling.standard)}`, scaling.standard],
    [`provisioned mode, pollers ${scalingLabel(scaling.provisioned)}`, scaling.provisioned],
  ] as const;
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = ['wall time on Lambda, from the event source\'s documented scaling (`fanout estimate --json` has the whole ramp):'];
  for (const [label, p] of rows) lines.push(`  ${label.padEnd(width)}  ≈ ${formatDuration(p.wallMs).padEnd(12)}  ${describeLimit(p)}`);
  const end = Math.max(scaling.standard.wallMs, scaling.provisioned.wallMs);
  const marks = MARKS.filter(([ms]) => ms < end);
  const cells = [['concurrent invocations at', ...marks.map(([, label]) => label)], ...rows.map(([label, p]) => [`  ${label.split(',')[0]}`, ...marks.map(([ms]) => (ms < p.wallMs ? formatCount(concurrencyAt(p.ramp, ms)) : 'done'))])];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  for (const row of cells) lines.push(`  ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ')}`);
  return lines;
}

function scalingLabel(p: ScalingPrediction): string {
  return p.mode.kind === 'standard' ? String(p.mode.maxConcurrency) : `${p.mode.minimumPollers}-${p.mode.maximumPollers}`;
}

function describeLimit(p: ScalingPrediction): string {
  const cap = p.capConcurrency > p.startConcurrency
    ? `starts at ${formatCount(p.startConcurrency)} at once, +${formatCount(p.addedPerMinute)} a minute up to ${formatCount(p.capConcurrency)} (${CAP_BY[p.capBy]}) in ${formatDuration(p.capReachedAtMs)}`
    : `${formatCount(p.capConcurrency)} at once from the start (${CAP_BY[p.capBy]})`;
  const chains = p.chainLength > 1 ? ` (each a chain of ${formatCount(p.chainLength)}: ${formatCount(p.invocations)} in all)` : '';
  const peak = p.peakConcurrency < p.capConcurrency ? `; the run's ${formatCount(Math.ceil(p.invocations / p.chainLength))} invocations${chains} keep ${formatCount(p.peakConcurrency)} busy` : '';
  return `${cap}${peak}`;
}

/** The ramp's level at a moment. */
export function concurrencyAt(ramp: readonly ConcurrencyPoint[], ms: number): number {
  let level = 0;
  for (const point of ramp) {
    if (point.atMs > ms) break;
    level = point.concurrency;
  }
  return level;
}
