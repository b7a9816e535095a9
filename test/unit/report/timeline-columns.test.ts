import { describe, expect, it } from 'vitest';
import { timeUnit, timelineColumns, type TimelineColumns } from '../../../cli/report/timeline-columns.js';
import { reportDataFactory } from '../../helpers/report-data-factory.js';

/** What the page's script does with the columns (client-script.ts), in TypeScript. */
function decode(columns: TimelineColumns) {
  const jobs: Array<{ lane: string; id: number; start: number; ms: number; failed?: string; attempt?: number; cold?: boolean }> = [];
  let position = 0;
  for (const [lane, count] of columns.laneCounts.entries()) {
    let start = 0;
    let id = 0;
    for (let k = 0; k < count; k++, position++) {
      start += columns.start[position]!;
      id += columns.id[position]!;
      jobs.push({ lane: columns.lanes[lane]!, id, start: columns.t0 + start * columns.unitMs, ms: columns.dur[position]! * columns.unitMs });
    }
  }
  let at = 0;
  columns.failed.forEach((delta, i) => ((at += delta), (jobs[at]!.failed = columns.errors[columns.failedError[i]!])));
  at = 0;
  columns.retried.forEach((delta, i) => ((at += delta), (jobs[at]!.attempt = columns.attempt[i])));
  at = 0;
  columns.cold.forEach((delta) => ((at += delta), (jobs[at]!.cold = true)));
  return jobs;
}

describe('timelineColumns', () => {
  it('picks a power-of-ten unit fine enough to zoom a million-fold', () => {
    // Assess
    expect(timeUnit(10_000)).toBe(0.01);
    expect(timeUnit(3_600_000)).toBe(10);
    expect(timeUnit(0)).toBe(0.001);
  });

  it('encodes every timed job so the page decodes it back, within one unit', () => {
    // Prepare
    const data = reportDataFactory({ jobs: 2_000, seed: 3 });
    // Act
    const columns = timelineColumns(data);
    const decoded = new Map(decode(columns).map((job) => [job.id, job]));
    // Assess
    expect(decoded.size).toBe(data.jobs.length);
    for (const job of data.jobs) {
      const back = decoded.get(job.id)!;
      expect(back.lane).toBe(job.worker);
      expect(Math.abs(back.start - job.startedAt!)).toBeLessThanOrEqual(columns.unitMs);
      expect(Math.abs(back.ms - job.ms)).toBeLessThanOrEqual(columns.unitMs);
      expect(back.failed).toBe(job.ok ? undefined : `${job.error!.name}: ${job.error!.message}`);
      expect(back.attempt).toBe(job.attempt! > 1 ? job.attempt : undefined);
      expect(back.cold ?? false).toBe(job.coldStart);
    }
    expect(columns.maxConcurrency).toBe(50);
  });

  it('leaves untimed results off, and orders lanes by their first start', () => {
    // Prepare
    const data = reportDataFactory({ jobs: 100, seed: 5, targetKind: 'endpoint', workers: 3 });
    data.jobs[0]!.startedAt = null;
    // Act
    const columns = timelineColumns(data);
    // Assess
    expect(columns.start).toHaveLength(data.jobs.length - 1);
    expect(columns.maxConcurrency).toBeNull();
    const firstStarts = columns.lanes.map((lane) => Math.min(...data.jobs.filter((job) => job.worker === lane && job.startedAt !== null).map((job) => job.startedAt!)));
    expect(firstStarts).toEqual([...firstStarts].sort((a, b) => a - b));
  });
});
