/**
 * The spread of job durations: percentiles (nearest rank, so each is a duration some job took),
 * a histogram, and the slowest jobs by name.
 */
import type { ReportJob } from './report-data.js';

export type DurationStats = { count: number; min: number; max: number; mean: number; p50: number; p95: number; p99: number };

/** The nearest-rank percentile of ascending `sorted`: the smallest value with at least p % of values at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function durationStats(jobs: readonly ReportJob[]): DurationStats {
  const sorted = Float64Array.from(jobs, (job) => job.ms).sort();
  const sum = sorted.reduce((total, ms) => total + ms, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    mean: sorted.length ? sum / sorted.length : 0,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

export type Histogram = {
  /** Log bins when durations span more than LOG_SPAN_RATIO, so both the bulk and the tail show. */
  scale: 'linear' | 'log';
  /** Bin edges, ms: bins + 1 ascending values. */
  edges: number[];
  ok: number[];
  failed: number[];
};

export type HistogramOptions = {
  /** @default 40 */
  bins?: number;
};

const LOG_SPAN_RATIO = 50;

export function durationHistogram(jobs: readonly ReportJob[], options: HistogramOptions = {}): Histogram {
  const bins = options.bins ?? 40;
  // A loop, not Math.max(...all): spreading 100,000 arguments can overflow the stack.
  let max = 0;
  let minPositive = Infinity;
  for (const { ms } of jobs) {
    if (ms > max) max = ms;
    if (ms > 0 && ms < minPositive) minPositive = ms;
  }
  if (!Number.isFinite(minPositive)) minPositive = 0;
  const scale = minPositive > 0 && max / minPositive > LOG_SPAN_RATIO ? 'log' : 'linear';
  const low = scale === 'log' ? Math.log10(minPositive) : 0;
  const high = scale === 'log' ? Math.log10(max) : max || 1;
  const step = (high - low) / bins || 1;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (scale === 'log' ? 10 ** (low + i * step) : low + i * step));
  const ok = new Array<number>(bins).fill(0);
  const failed = new Array<number>(bins).fill(0);
  for (const job of jobs) {
    const x = scale === 'log' ? (job.ms > 0 ? Math.log10(job.ms) : low) : job.ms;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor((x - low) / step)));
    (job.ok ? ok : failed)[bin]!++;
  }
  return { scale, edges, ok, failed };
}

export type Straggler = { id: number; worker: string | null; ms: number; ok: boolean; startedAt: number | null };

/** The `count` slowest jobs, slowest first (ties by id, so the list is stable). */
export function stragglers(jobs: readonly ReportJob[], count = 10): Straggler[] {
  return [...jobs]
    .sort((a, b) => b.ms - a.ms || a.id - b.id)
    .slice(0, count)
    .map(({ id, worker, ms, ok, startedAt }) => ({ id, worker, ms, ok, startedAt }));
}
