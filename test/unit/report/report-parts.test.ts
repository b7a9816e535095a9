import { describe, expect, it } from 'vitest';
import { peakConcurrency } from '../../../cli/report/concurrency.js';
import { durationHistogram, durationStats, percentile, stragglers } from '../../../cli/report/durations.js';
import { failureGroups, groupIds } from '../../../cli/report/failure-groups.js';
import { compactRanges } from '../../../cli/report/id-ranges.js';
import { niceTicks } from '../../../cli/report/nice-ticks.js';
import type { ReportJob } from '../../../cli/report/report-data.js';

function job(id: number, fields: Partial<ReportJob> = {}): ReportJob {
  return { id, ok: true, startedAt: id * 10, ms: 5, worker: 'pid:1', attempt: 1, coldStart: false, receivedAt: 1_000, ...fields };
}

describe('compactRanges', () => {
  it('joins runs of consecutive ids', () => {
    // Assess
    expect(compactRanges([1, 2, 3, 7])).toBe('1-3, 7');
    expect(compactRanges([9, 7, 3, 2, 1, 2, 10])).toBe('1-3, 7, 9-10');
    expect(compactRanges([])).toBe('');
  });

  it('sums up what is past maxRanges', () => {
    // Assess
    expect(compactRanges([0, 2, 4, 6, 7, 8], { maxRanges: 2 })).toBe('0, 2, … and 4 more');
  });
});

describe('durations', () => {
  it('takes nearest-rank percentiles: each one a duration some job took', () => {
    // Prepare
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    // Assess
    expect([percentile(hundred, 50), percentile(hundred, 95), percentile(hundred, 99)]).toEqual([50, 95, 99]);
    expect([percentile(ten, 50), percentile(ten, 95), percentile(ten, 99)]).toEqual([50, 100, 100]);
    expect(percentile([], 50)).toBe(0);
  });

  it('sums up durations whatever their order', () => {
    // Act
    const stats = durationStats([job(0, { ms: 30 }), job(1, { ms: 10 }), job(2, { ms: 20 })]);
    // Assess
    expect(stats).toEqual({ count: 3, min: 10, max: 30, mean: 20, p50: 20, p95: 30, p99: 30 });
  });

  it('bins linearly over a narrow spread, ok and failed apart', () => {
    // Act: 0-10 ms in 5 bins of 2 ms
    const histogram = durationHistogram([job(0, { ms: 1 }), job(1, { ms: 3 }), job(2, { ms: 3.5, ok: false }), job(3, { ms: 10 })], { bins: 5 });
    // Assess
    expect(histogram.scale).toBe('linear');
    expect(histogram.edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(histogram.ok).toEqual([1, 1, 0, 0, 1]);
    expect(histogram.failed).toEqual([0, 1, 0, 0, 0]);
  });

  it('bins logarithmically when durations span more than 50×', () => {
    // Act: 1 ms to 1,000 ms in 3 bins of one decade
    const histogram = durationHistogram([job(0, { ms: 1 }), job(1, { ms: 50 }), job(2, { ms: 1000 }), job(3, { ms: 0 })], { bins: 3 });
    // Assess
    expect(histogram.scale).toBe('log');
    expect(histogram.edges.map((edge) => Number(edge.toPrecision(6)))).toEqual([1, 10, 100, 1000]);
    expect(histogram.ok).toEqual([2, 1, 1]); // 0 ms goes to the first bin
  });

  it('names the slowest jobs, slowest first, ties by id', () => {
    // Act
    const slowest = stragglers([job(0, { ms: 5 }), job(1, { ms: 90, worker: 'pid:7' }), job(2, { ms: 90 }), job(3, { ms: 1 })], 2);
    // Assess
    expect(slowest).toEqual([
      { id: 1, worker: 'pid:7', ms: 90, ok: true, startedAt: 10 },
      { id: 2, worker: 'pid:1', ms: 90, ok: true, startedAt: 20 },
    ]);
  });
});

describe('failureGroups', () => {
  it('groups failures by error name and message, largest first, with their ids as ranges', () => {
    // Prepare
    const boom = { name: 'Error', message: 'boom' };
    const range = { name: 'RangeError', message: 'too big' };
    const jobs = [job(0), job(1, { ok: false, error: boom }), job(2, { ok: false, error: range }), job(3, { ok: false, error: range }), job(4, { ok: false, error: range }), job(7, { ok: false, error: range })];
    // Act
    const groups = failureGroups(jobs);
    // Assess
    expect(groups.map((group) => [group.name, group.message, group.count, groupIds(group)])).toEqual([
      ['RangeError', 'too big', 4, '2-4, 7'],
      ['Error', 'boom', 1, '1'],
    ]);
  });

  it('takes messages that differ only in their numbers as one cause', () => {
    // Prepare: the messages carry each job's own id and a timing.
    const jobs = [3, 13, 23].map((id) => job(id, { ok: false, error: { name: 'Error', message: `job ${id} failed after ${id / 10} s` } }));
    // Act
    const groups = failureGroups([...jobs, job(30, { ok: false, error: { name: 'Error', message: 'other' } })]);
    // Assess
    expect(groups.map((group) => [group.message, group.count, groupIds(group)])).toEqual([
      ['job # failed after # s', 3, '3, 13, 23'],
      ['other', 1, '30'],
    ]);
  });
});

describe('peakConcurrency', () => {
  it('counts overlapping jobs, and back-to-back jobs once', () => {
    // Assess
    expect(peakConcurrency([job(0, { startedAt: 0, ms: 10 }), job(1, { startedAt: 10, ms: 10 }), job(2, { startedAt: 20, ms: 10 })])).toBe(1);
    expect(peakConcurrency([job(0, { startedAt: 0, ms: 30 }), job(1, { startedAt: 5, ms: 10 }), job(2, { startedAt: 12, ms: 10 }), job(3, { startedAt: 40, ms: 1 })])).toBe(3);
    expect(peakConcurrency([job(0, { startedAt: null })])).toBe(0);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten', () => {
    // Assess
    expect(niceTicks(0, 1000, 4)).toEqual([0, 500, 1000]);
    expect(niceTicks(0, 0.9, 4)).toEqual([0, 0.5]); // a step of 0.225 rounds up to 0.5
    expect(niceTicks(0, 0.9, 8)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });
});
