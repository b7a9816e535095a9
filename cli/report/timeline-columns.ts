/**
 * The timed jobs as the page's script draws them, packed small enough for 100,000 jobs in a few
 * megabytes: columns instead of one object per job, jobs ordered by worker (lane) then start,
 * times as whole multiples of one unit, starts and ids as differences from the previous job in
 * the lane, and the rare flags (failed, retried, cold start) as lists of positions.
 */
import type { ReportData, ReportJob } from './report-data.js';

export type TimelineColumns = {
  /** Epoch ms of time 0: the run's creation or the first start, whichever is earlier. */
  t0: number;
  /** Milliseconds per time unit: a power of ten, fine enough to zoom 1,000,000× into the span. */
  unitMs: number;
  /** The axis' end, in units: the last result stored or the last job's end. */
  span: number;
  /** Markers on the axis, in units. */
  createdAt: number;
  lastReceivedAt: number | null;
  /** Worker names, one lane each, ordered by their first start. */
  lanes: string[];
  /** Jobs per lane, in lane order. */
  laneCounts: number[];
  /** Per job: start minus the previous start in its lane (the first: minus 0), in units. */
  start: number[];
  /** Per job: duration in units, rounded. */
  dur: number[];
  /** Per job: id minus the previous id in its lane (the first: minus 0). */
  id: number[];
  /** Positions (in this order) of failed jobs, each minus the previous one. */
  failed: number[];
  /** Per failed job: its index in `errors`. */
  failedError: number[];
  errors: string[];
  /** Positions of jobs whose message was delivered more than once, as differences, and their attempt. */
  retried: number[];
  attempt: number[];
  /** Positions of jobs that ran on a cold start, as differences. */
  cold: number[];
  /** The event source's maximum concurrency, drawn on the concurrency chart (AWS runs only). */
  maxConcurrency: number | null;
};

/** A power of ten ≥ span / 2,000,000 ms, and at least a microsecond. */
export function timeUnit(spanMs: number): number {
  return 10 ** Math.max(-3, Math.ceil(Math.log10(Math.max(spanMs, 1e-3) / 2e6)));
}

export function timelineColumns(data: ReportData): TimelineColumns {
  const timed = data.jobs.filter((job): job is ReportJob & { startedAt: number } => job.startedAt !== null);
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  let lastReceived = -Infinity;
  for (const job of timed) {
    firstStart = Math.min(firstStart, job.startedAt);
    lastEnd = Math.max(lastEnd, job.startedAt + job.ms);
  }
  for (const job of data.jobs) lastReceived = Math.max(lastReceived, job.receivedAt);
  const t0 = Math.min(data.run.createdAt, firstStart);
  const unitMs = timeUnit(Math.max(lastEnd, lastReceived, t0) - t0);
  const units = (ms: number) => Math.round(ms / unitMs);

  const firstStartOf = new Map<string, number>();
  for (const job of timed) {
    const lane = job.worker ?? '(unknown worker)';
    firstStartOf.set(lane, Math.min(firstStartOf.get(lane) ?? Infinity, job.startedAt));
  }
  const lanes = [...firstStartOf.keys()].sort((a, b) => firstStartOf.get(a)! - firstStartOf.get(b)! || a.localeCompare(b));
  const laneOf = new Map(lanes.map((lane, index) => [lane, index]));
  const ordered = timed
    .map((job) => ({ job, lane: laneOf.get(job.worker ?? '(unknown worker)')! }))
    .sort((a, b) => a.lane - b.lane || a.job.startedAt - b.job.startedAt || a.job.id - b.job.id);

  const columns: TimelineColumns = {
    t0,
    unitMs,
    span: units(Math.max(lastEnd, lastReceived, t0) - t0),
    createdAt: units(data.run.createdAt - t0),
    lastReceivedAt: data.jobs.length > 0 ? units(lastReceived - t0) : null,
    lanes,
    laneCounts: lanes.map(() => 0),
    start: [],
    dur: [],
    id: [],
    failed: [],
    failedError: [],
    errors: [],
    retried: [],
    attempt: [],
    cold: [],
    maxConcurrency: data.run.targetKind === 'aws' ? data.lambda.maxConcurrency : null,
  };
  const errorIndex = new Map<string, number>();
  const last = { lane: -1, start: 0, id: 0, failed: 0, retried: 0, cold: 0 };
  for (const [position, { job, lane }] of ordered.entries()) {
    if (lane !== last.lane) Object.assign(last, { lane, start: 0, id: 0 });
    columns.laneCounts[lane]!++;
    const start = units(job.startedAt - t0);
    columns.start.push(start - last.start);
    columns.dur.push(units(job.ms));
    columns.id.push(job.id - last.id);
    Object.assign(last, { start, id: job.id });
    if (!job.ok) {
      const error = `${job.error?.name ?? 'Error'}: ${job.error?.message ?? ''}`;
      if (!errorIndex.has(error)) errorIndex.set(error, columns.errors.push(error) - 1);
      columns.failed.push(position - last.failed);
      columns.failedError.push(errorIndex.get(error)!);
      last.failed = position;
    }
    if ((job.attempt ?? 1) > 1) {
      columns.retried.push(position - last.retried);
      columns.attempt.push(job.attempt!);
      last.retried = position;
    }
    if (job.coldStart) {
      columns.cold.push(position - last.cold);
      last.cold = position;
    }
  }
  return columns;
}
