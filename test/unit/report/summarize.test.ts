import { describe, expect, it } from 'vitest';
import { summarize } from '../../../cli/report/summarize.js';
import type { ReportData, ReportJob } from '../../../cli/report/report-data.js';

function data(jobs: ReportJob[]): ReportData {
  return {
    run: { id: 'r-1', task: 'square', targetKind: 'endpoint', target: 'local', createdAt: 500, completedAt: null, state: 'complete', jobs: 4, messages: 1, jobsPerMessage: 4 },
    counts: { ok: 2, failed: 1, missing: 1, duplicates: 3, conflicts: 0 },
    jobs,
    requests: { dispatch: {}, collect: {} },
    lambda: { memoryMb: 1769, architecture: 'arm64', region: 'us-east-1', maxConcurrency: 50 },
  };
}

describe('summarize', () => {
  it('measures wall time from the first job start to the last result stored', () => {
    // Act
    const summary = summarize(
      data([
        { id: 0, ok: true, startedAt: 1_000, ms: 100, worker: 'pid:1', attempt: 1, coldStart: true, receivedAt: 1_500 },
        { id: 1, ok: false, error: { name: 'Error', message: 'x' }, startedAt: 1_050, ms: 100, worker: 'pid:2', attempt: 3, coldStart: false, receivedAt: 3_000 },
        { id: 2, ok: true, startedAt: null, ms: 1, worker: null, attempt: null, coldStart: null, receivedAt: 2_000 },
      ]),
    );
    // Assess
    expect(summary).toMatchObject({ jobs: 4, ok: 2, failed: 1, missing: 1, duplicates: 3, retries: 1, untimed: 1, coldStarts: 1, workers: 2, startAt: 1_000, lastReceivedAt: 3_000, wallMs: 2_000, peakConcurrency: 2 });
    expect(summary.jobsPerSecond).toBe(1.5); // 3 results in 2 s
  });

  it('falls back on the run\'s creation when no job has timing', () => {
    // Act
    const summary = summarize(data([{ id: 0, ok: true, startedAt: null, ms: 1, worker: null, attempt: null, coldStart: null, receivedAt: 2_500 }]));
    // Assess
    expect(summary.wallMs).toBe(2_000);
  });

  it('has no wall time without results', () => {
    // Act
    const summary = summarize(data([]));
    // Assess
    expect([summary.wallMs, summary.jobsPerSecond, summary.lastReceivedAt]).toEqual([null, null, null]);
  });
});
