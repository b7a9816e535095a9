import { describe, expect, it } from 'vitest';
import { runLedger } from '../../../../cli/report/cost/run-ledger.js';
import type { ReportData, ReportJob } from '../../../../cli/report/report-data.js';

/** 20 jobs in 4 messages of 5; 18 results of 100 ms, the 5 of one message from its second delivery. */
function ledgerData(overrides: Partial<ReportData> = {}): ReportData {
  const jobs: ReportJob[] = Array.from({ length: 18 }, (_, id) => ({
    id,
    ok: true,
    startedAt: 1_000 + id * 100,
    ms: 100,
    worker: 'pid:1',
    attempt: id >= 5 && id < 10 ? 2 : 1,
    coldStart: id === 0,
    receivedAt: 3_000,
  }));
  return {
    run: { id: 'r-1', task: 'square', targetKind: 'aws', target: 'aws', createdAt: 0, completedAt: 3_000, state: 'incomplete', jobs: 20, messages: 4, jobsPerMessage: 5 },
    counts: { ok: 18, failed: 0, missing: 2, duplicates: 0, conflicts: 0 },
    jobs,
    requests: { dispatch: { SendMessageBatch: 1 }, collect: { ReceiveMessage: 3, DeleteMessageBatch: 1, ChangeMessageVisibilityBatch: 0 } },
    lambda: { memoryMb: 2048, architecture: 'arm64', region: 'us-east-1', maxConcurrency: 50 },
    ...overrides,
  };
}

describe('runLedger', () => {
  it('counts dispatch and collect, estimates the workers, and bills the jobs\' time', () => {
    // Act
    const ledger = runLedger(ledgerData());
    // Assess
    expect(ledger.lines.map((line) => [line.role, line.item, line.quantity, line.billed, line.basis])).toEqual([
      ['dispatch', 'SendMessageBatch', 1, 1, 'counted'],
      // 4 messages + ⌈5 extra attempts ÷ 5 jobs per message⌉ = 5 deliveries: one batch
      ['worker', 'ReceiveMessage', 1, 1, 'estimated'],
      ['worker', 'DeleteMessageBatch', 1, 1, 'estimated'],
      ['worker', 'SendMessageBatch', 1, 1, 'estimated'],
      ['collect', 'DeleteMessageBatch', 1, 1, 'counted'],
      ['collect', 'ReceiveMessage', 3, 3, 'counted'],
      ['lambda', 'requests', 1, 1, 'estimated'],
      ['lambda', 'compute', 3.6, 3.6, 'estimated'], // 1,800 ms × 2 GB
    ]);
    expect(ledger.deliveries).toBe(5);
    expect(ledger.invocations).toBe(1);
    expect(ledger.jobMs).toBe(1800);
    expect(ledger.billedMs).toBe(1800);
    // 8 SQS requests × $0.40/1M + 1 × $0.20/1M + 3.6 GB-s × $0.0000133334
    expect(ledger.totalUsd).toBeCloseTo(0.0000032 + 0.0000002 + 0.000048000240, 15);
    expect(ledger.lines[0]!.formula).toBe('counted by dispatch: 1 call (payload sizes unknown: each taken as under 64 KB); × $0.40 per 1M requests');
    expect(ledger.lines.at(-1)!.formula).toMatch(/^Σ job ms 1,800 over 1 invocation → ⌈1,800⌉ = 1,800 ms each = 1,800 billed ms × 2 GB \(2048 MB\) = 3\.6 GB-s; × \$0\.0000133334 per GB-s \(arm64\)$/);
  });

  it('bills counted calls by their mean payload when the sizes are known', () => {
    // Act: 4 messages of 100 + 5 × (24 + 60,000) = 300,220 B in 1 call = ⌈18.3⌉ = 19 requests
    const ledger = runLedger(ledgerData({ payload: { avgInputBytes: 60_000, avgOutputBytes: 0 } }));
    // Assess
    const dispatch = ledger.lines.find((line) => line.role === 'dispatch')!;
    expect([dispatch.quantity, dispatch.billed]).toEqual([1, 19]);
    expect(ledger.notes.join('\n')).not.toMatch(/payload sizes unknown/);
  });

  it('rounds the even share of job time per invocation up to the millisecond', () => {
    // Prepare: 41 messages → 5 invocations (⌈41 ÷ 10⌉) sharing 18 × 100.1 ms = 1,801.8 ms
    const data = ledgerData();
    data.run.messages = 41;
    for (const job of data.jobs) Object.assign(job, { ms: 100.1, attempt: 1 });
    // Act
    const ledger = runLedger(data);
    // Assess: ⌈360.36⌉ = 361 ms each
    expect(ledger.invocations).toBe(5);
    expect(ledger.billedMs).toBe(5 * 361);
  });

  it('notes a run that did not run on AWS, and prices for another region', () => {
    // Act
    const ledger = runLedger(ledgerData({
      run: { ...ledgerData().run, targetKind: 'endpoint', target: 'http://127.0.0.1:4566' },
      lambda: { memoryMb: 1769, architecture: 'x86_64', region: 'eu-west-1', maxConcurrency: 50 },
    }));
    // Assess
    expect(ledger.notes.join('\n')).toMatch(/ran on http:\/\/127\.0\.0\.1:4566, not on AWS/);
    expect(ledger.notes.join('\n')).toMatch(/prices are for us-east-1, the workers run in eu-west-1/);
    expect(ledger.lines.at(-1)!.priceUsd).toBe(0.0000166667);
  });
});
