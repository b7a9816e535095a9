/**
 * A realistic, seeded ReportData: a run simulated the way Lambda would run it. Job messages go
 * ten to an invocation; workers join one by one (scale-up) up to the event source's maximum
 * concurrency, each taking the next invocation when free; a worker's first invocation is a cold
 * start; job times are log-normal with a few stragglers; some messages are redelivered, one
 * burst of jobs fails with the same error and a few fail at random; one message never comes back.
 */
import { mulberry32, type Rng } from '../faults/rng.js';
import type { ReportData, ReportJob } from '../../cli/report/report-data.js';

export type ReportDataOptions = {
  jobs: number;
  /** @default 1 */
  seed?: number;
  /** Workers running at once at most. @default 24 */
  workers?: number;
  /** Median job time, ms. @default 40 */
  medianJobMs?: number;
  /** @default 'aws' */
  targetKind?: 'aws' | 'endpoint';
  /** Share of jobs failing at random (besides the burst). @default 0.01 */
  failureRate?: number;
};

const CREATED_AT = Date.UTC(2026, 10, 29, 14, 30, 0);

export function reportDataFactory(options: ReportDataOptions): ReportData {
  const rng = mulberry32(options.seed ?? 1);
  const jobsTotal = options.jobs;
  const targetKind = options.targetKind ?? 'aws';
  const jobsPerMessage = Math.min(1000, Math.max(1, Math.ceil(jobsTotal / (targetKind === 'aws' ? 1000 : 250))));
  const messages = Math.ceil(jobsTotal / jobsPerMessage);
  const medianMs = options.medianJobMs ?? 40;
  const failureRate = options.failureRate ?? 0.01;
  const workerCount = options.workers ?? 24;

  // One message is lost (dead-lettered): its jobs are missing. Two are delivered twice (their
  // second results are duplicates); three lose their first delivery to a crashed worker, so
  // their results come from the second (retries).
  const lostMessage = Math.floor(messages * 0.61);
  const redelivered = new Set([Math.floor(messages * 0.2), Math.floor(messages * 0.75)]);
  const crashed = new Set([Math.floor(messages * 0.33), Math.floor(messages * 0.5), Math.floor(messages * 0.9)]);
  const burst = { from: Math.floor(jobsTotal * 0.42), to: Math.floor(jobsTotal * 0.42) + Math.max(3, Math.floor(jobsTotal / 200)) };

  const workers = Array.from({ length: workerCount }, (_, i) => ({
    name: targetKind === 'aws' ? `2026/11/29/[$LATEST]${hex(rng, 32)}` : `pid:${31000 + i * 7}`,
    // Lambda adds instances one after another as messages wait; local workers are all there.
    freeAt: CREATED_AT + (targetKind === 'aws' ? 180 + i * 45 + rng.int(0, 40) : 20),
    invocations: 0,
  }));

  const jobs: ReportJob[] = [];
  const deliveries: Array<{ message: number; attempt: number }> = [];
  for (let m = 0; m < messages; m++) if (m !== lostMessage && !crashed.has(m)) deliveries.push({ message: m, attempt: 1 });
  for (const m of [...redelivered, ...crashed].sort((a, b) => a - b)) deliveries.push({ message: m, attempt: 2 });

  for (let first = 0; first < deliveries.length; first += 10) {
    const batch = deliveries.slice(first, first + 10);
    const worker = workers.reduce((best, w) => (w.freeAt < best.freeAt ? w : best));
    const cold = worker.invocations++ === 0;
    // A redelivery comes back after the visibility timeout, not in dispatch order.
    const batchStart = jobs.length;
    let clock = Math.max(worker.freeAt, batch[0]!.attempt > 1 ? CREATED_AT + 6_000 : 0) + (cold ? 180 + rng.int(0, 120) : 2);
    for (const { message, attempt } of batch) {
      for (let id = message * jobsPerMessage; id < Math.min(jobsTotal, (message + 1) * jobsPerMessage); id++) {
        const straggler = rng.chance(0.003);
        const ms = round3(medianMs * Math.exp(0.45 * normal(rng)) * (straggler ? 6 + rng.next() * 10 : 1));
        const inBurst = id >= burst.from && id < burst.to;
        const fails = inBurst || rng.chance(failureRate);
        const job: ReportJob = {
          id,
          ok: !fails,
          startedAt: Math.round(clock * 1000) / 1000,
          ms,
          worker: worker.name,
          attempt,
          coldStart: cold,
          receivedAt: 0,
        };
        if (fails) job.error = inBurst ? { name: 'TypeError', message: "Cannot read properties of undefined (reading 'price')" } : randomError(rng);
        jobs.push(job);
        clock += ms + 0.05;
      }
    }
    worker.freeAt = clock + 15 + rng.int(0, 10);
    const receivedAt = clock + 30 + rng.int(0, 400);
    for (const job of jobs.slice(batchStart)) job.receivedAt = Math.round(receivedAt);
  }

  // The collector keeps one result per job: a redelivered message's second results are duplicates.
  const kept = new Map<number, ReportJob>();
  let duplicates = 0;
  for (const job of jobs) {
    if (kept.has(job.id)) duplicates++;
    else kept.set(job.id, job);
  }
  const results = [...kept.values()].sort((a, b) => a.receivedAt - b.receivedAt || a.id - b.id);
  const ok = results.filter((job) => job.ok).length;
  const lastReceived = results.reduce((last, job) => Math.max(last, job.receivedAt), 0);
  const resultMessages = deliveries.length;
  return {
    run: {
      id: `r-${CREATED_AT.toString(36)}-${hex(rng, 6)}`,
      task: 'price-quote',
      targetKind,
      target: targetKind === 'aws' ? 'aws' : 'http://127.0.0.1:4566',
      createdAt: CREATED_AT,
      completedAt: lastReceived + 5,
      state: 'incomplete',
      jobs: jobsTotal,
      messages,
      jobsPerMessage,
    },
    counts: { ok, failed: results.length - ok, missing: jobsTotal - results.length, duplicates, conflicts: duplicates > 0 ? 1 : 0 },
    jobs: results,
    requests: {
      dispatch: { SendMessageBatch: Math.ceil(messages / 10) },
      collect: { ReceiveMessage: Math.ceil(resultMessages / 10) + 14, DeleteMessageBatch: Math.ceil(resultMessages / 10), GetQueueAttributes: 2 },
    },
    lambda: { memoryMb: 1769, architecture: 'arm64', region: 'us-east-1', maxConcurrency: 50 },
    payload: { avgInputBytes: 48, avgOutputBytes: 96 },
  };
}

function randomError(rng: Rng): { name: string; message: string } {
  return rng.pick([
    { name: 'RangeError', message: 'quantity must be positive' },
    { name: 'TimeoutError', message: 'pricing service did not answer within 2000 ms' },
    { name: 'Error', message: 'unknown currency "XBT"' },
  ]);
}

function normal(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

function hex(rng: Rng, digits: number): string {
  return Array.from({ length: digits }, () => rng.int(0, 15).toString(16)).join('');
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
