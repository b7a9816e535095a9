import { describe, expect, it } from 'vitest';
import { estimateRun } from '../../../../cli/report/cost/estimate-run.js';
import { PRICES } from '../../../../cli/report/cost/prices.js';
import { billedRequests, messagesPerCall } from '../../../../cli/report/cost/sqs-requests.js';

const ARM = { memoryMb: 1769, architecture: 'arm64', region: 'us-east-1', maxConcurrency: 50 } as const;

/** The lines as role/item → [calls, billed]. */
function requests(estimate: ReturnType<typeof estimateRun>): Record<string, [number, number]> {
  return Object.fromEntries(estimate.lines.map((line) => [`${line.role} ${line.item}`, [line.quantity, line.billed]]));
}

describe('SQS billing', () => {
  it('bills one request per started 64 KB of a call, at least one', () => {
    // Assess
    expect(billedRequests(0, 65_536)).toBe(1);
    expect(billedRequests(65_536, 65_536)).toBe(1);
    expect(billedRequests(65_537, 65_536)).toBe(2);
    expect(billedRequests(256 * 1024, 65_536)).toBe(4);
  });

  it('puts 10 messages in a batch call, fewer when 10 would pass 1 MiB', () => {
    // Assess
    expect(messagesPerCall(440)).toBe(10);
    expect(messagesPerCall(300_000)).toBe(3); // 3 × 300,000 ≤ 1,048,576 < 4 × 300,000
    expect(messagesPerCall(2_000_000)).toBe(1);
  });
});

describe('estimateRun', () => {
  it('estimates 10,000 small jobs, 10 per message', () => {
    // Act
    const estimate = estimateRun({ jobs: 10_000, jobsPerMessage: 10, avgInputBytes: 10, avgOutputBytes: 20, avgJobMs: 50, lambda: ARM, prices: PRICES });
    // Assess: 1,000 messages of 100 + 10 × (24 + 10) = 440 B; results 100 + 10 × (120 + 20) = 1,500 B
    expect(estimate.messages).toBe(1000);
    expect(estimate.jobMessageBytes).toBe(440);
    expect(estimate.resultMessageBytes).toBe(1500);
    expect(requests(estimate)).toEqual({
      'dispatch SendMessageBatch': [100, 100],
      'worker ReceiveMessage': [100, 100],
      'worker DeleteMessageBatch': [100, 100],
      'worker SendMessageBatch': [100, 100], // one call of 10 results × 1,500 B per invocation
      'collect ReceiveMessage': [100, 100],
      'collect DeleteMessageBatch': [100, 100],
      'lambda requests': [100, 100],
      'lambda compute': [863.76953125, 863.76953125], // 100 × 5,000 ms × 1769/1024 GB
    });
    expect(estimate.invocations).toBe(100);
    expect(estimate.invocationMs).toBe(5000); // 100 jobs × 50 ms
    expect(estimate.billedMs).toBe(500_000);
    // 600 SQS requests × $0.40/1M + 100 × $0.20/1M + 863.76953125 GB-s × $0.0000133334
    expect(estimate.totalUsd).toBeCloseTo(0.00024 + 0.00002 + 0.01151698466796875, 12);
    // 100 invocations of 5 s. Standard mode starts 5, +300 a minute (one more every 200 ms) up to 50 at 9 s:
    // the last starts at 11.6 s, ends at 16.6 s. Provisioned mode: 20, one more every 60 ms, all 100 by 4.8 s.
    expect(estimate.wall).toEqual({ ms: 16_600, concurrency: 50 });
    expect(estimate.scaling.standard).toMatchObject({ wallMs: 16_600, startConcurrency: 5, capConcurrency: 50, capReachedAtMs: 9000, invocations: 100 });
    expect(estimate.scaling.provisioned).toMatchObject({ wallMs: 9800, startConcurrency: 20, capConcurrency: 1000, capBy: 'account', peakConcurrency: 100 });
    expect(estimate.lines.every((line) => line.basis === 'estimated' && line.formula.length > 0)).toBe(true);
  });

  it('counts 64 KB chunks and the 1 MiB batch limit for large payloads', () => {
    // Act: 10 messages of 100 + 100 × (24 + 2,000) = 202,500 B; results 100 + 100 × (120 + 10,000) = 1,012,100 B
    const estimate = estimateRun({ jobs: 1000, jobsPerMessage: 100, avgInputBytes: 2000, avgOutputBytes: 10_000, avgJobMs: 1, lambda: ARM });
    // Assess
    expect(estimate.jobMessageBytes).toBe(202_500);
    expect(estimate.resultMessageBytes).toBe(1_012_100);
    expect(requests(estimate)).toMatchObject({
      // 5 messages per call (1,012,500 B) = ⌈15.45⌉ = 16 requests, 2 calls
      'dispatch SendMessageBatch': [2, 32],
      // one receive of 10 messages, 2,025,000 B = ⌈30.9⌉ = 31 requests
      'worker ReceiveMessage': [1, 31],
      'worker DeleteMessageBatch': [1, 1],
      // one result message per call (two would pass 1 MiB): 10 calls × ⌈15.44⌉ = 16
      'worker SendMessageBatch': [10, 160],
      // one receive of 10 result messages, 10,121,000 B = ⌈154.4⌉ = 155 requests
      'collect ReceiveMessage': [1, 155],
      'collect DeleteMessageBatch': [1, 1],
      'lambda requests': [1, 1],
    });
  });

  it('rounds each invocation up to the millisecond, and prices x86_64', () => {
    // Act: 25 messages → 3 invocations of 25/3 jobs × 0.3 ms = 2.5 ms, billed 3 ms each
    const estimate = estimateRun({
      jobs: 25,
      jobsPerMessage: 1,
      avgInputBytes: 1,
      avgOutputBytes: 1,
      avgJobMs: 0.3,
      lambda: { memoryMb: 1024, architecture: 'x86_64', region: 'us-east-1', maxConcurrency: 50 },
    });
    // Assess
    expect(estimate.invocations).toBe(3);
    expect(estimate.invocationMs).toBeCloseTo(2.5, 12);
    expect(estimate.billedMs).toBe(9);
    expect(estimate.gbSeconds).toBeCloseTo(0.009, 12); // 1 GB × 0.009 s
    expect(estimate.lines.at(-1)!.usd).toBeCloseTo(0.009 * 0.0000166667, 15);
    // 3 invocations, all at once in either mode
    expect(estimate.wall).toEqual({ ms: 2.5, concurrency: 3 });
  });

  it('adds the invocation overhead before rounding', () => {
    // Act
    const estimate = estimateRun({ jobs: 10, jobsPerMessage: 1, avgInputBytes: 1, avgOutputBytes: 1, avgJobMs: 0.25, lambda: ARM, invocationOverheadMs: 20 });
    // Assess: one invocation of 10 × 0.25 + 20 = 22.5 ms, billed 23 ms
    expect(estimate.billedMs).toBe(23);
  });

  it('says when the prices are for another region', () => {
    // Act
    const estimate = estimateRun({ jobs: 1, jobsPerMessage: 1, avgInputBytes: 1, avgOutputBytes: 1, avgJobMs: 1, lambda: { ...ARM, region: 'eu-west-1' } });
    // Assess
    expect(estimate.notes.join('\n')).toMatch(/prices are for us-east-1, the workers run in eu-west-1: .*--price-file/);
  });
});

describe('estimateRun, jobs that outlast an invocation', () => {
  it('chains each message over invocations, and says when Lambda would cut the chain or the timeout a job', () => {
    // Act: 10 jobs of 100 s per message, 10 messages per invocation: 10,000 s each, 51 s a link
    const estimate = estimateRun({ jobs: 1000, jobsPerMessage: 10, avgInputBytes: 1, avgOutputBytes: 1, avgJobMs: 100_000, maxJobMs: 120_000, lambda: ARM });
    // Assess
    expect(estimate.scaling.standard.chainLength).toBe(Math.ceil(10_000_000 / 51_000));
    expect(estimate.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(/^an invocation's jobs take 2 h 46 min, more than the 51 s it runs them for \(a 1 min 00 s timeout less its reserve\): each message goes on as a chain of 197 invocations/),
      expect.stringMatching(/^Lambda stops a chain after 16 invocations \(recursive loop detection\)/),
      expect.stringMatching(/^a sampled job took 2 min 00 s, more than the 1 min 00 s timeout/),
    ]));
  });

  it('warns of nothing when an invocation fits', () => {
    // Act
    const estimate = estimateRun({ jobs: 100, jobsPerMessage: 1, avgInputBytes: 1, avgOutputBytes: 1, avgJobMs: 10, maxJobMs: 30, lambda: ARM });
    // Assess
    expect(estimate.scaling.standard.chainLength).toBe(1);
    expect(estimate.notes.join('\n')).not.toMatch(/chain|timeout/);
  });
});
