/**
 * What a run will cost before it is sent, from its shape alone.
 *
 * SQS requests by role, each batch call billed one request per 64 KB of payload:
 * - dispatch: SendMessageBatch, the job messages 10 to a call (fewer if 10 would pass 1 MiB);
 * - worker: ReceiveMessage and DeleteMessageBatch by the event source, 10 messages to a call;
 *   SendMessageBatch of each invocation's result messages (see worker-traffic.ts);
 * - collect: ReceiveMessage and DeleteMessageBatch, 10 result messages to a call.
 * Lambda: one request per invocation (messages ÷ batch size 10), and GB-seconds: memory × the
 * invocations' billed duration, each invocation's run time (its share of the jobs × the mean job
 * time, plus any overhead) rounded up to the millisecond.
 * Wall time: the event source's documented scaling in standard mode (up to `maxConcurrency`) and
 * in provisioned mode, simulated over the invocations (run-scaling.ts, scaling.ts).
 */
import type { LambdaSettings } from './measured-run.js';
import { lambdaComputeLine, lambdaRequestsLine, sqsLine, totalUsd, type CostLine } from './cost-line.js';
import { countOf, formatCount, formatSignificant } from './numbers.js';
import { PRICES, type PriceTable } from './prices.js';
import { batchedCalls, handleCalls, receiveCalls } from './sqs-requests.js';
import { jobMessageBytes, resultMessagesFor } from './wire-sizes.js';
import { runScaling, type RunScaling } from './run-scaling.js';
import { BATCH_SIZE, workerTraffic } from './worker-traffic.js';

export type EstimateInput = {
  jobs: number;
  jobsPerMessage: number;
  /** Job messages. @default - ⌈jobs ÷ jobsPerMessage⌉ */
  messages?: number;
  /** Mean size of a job's input as JSON text, in bytes. */
  avgInputBytes: number;
  /** Mean size of a job's output as JSON text, in bytes. */
  avgOutputBytes: number;
  /** Mean run time of one job, in ms. */
  avgJobMs: number;
  /** The longest job seen, in ms, for the timeout's warning. @default - not known */
  maxJobMs?: number;
  lambda: LambdaSettings;
  /** @default - the table in prices.ts */
  prices?: PriceTable;
  /** Time an invocation spends besides its jobs (parsing, sending results), in ms. @default 0 */
  invocationOverheadMs?: number;
};

export type RunEstimate = {
  jobs: number;
  jobsPerMessage: number;
  messages: number;
  /** Modelled size of one job message and one result message, in bytes. */
  jobMessageBytes: number;
  resultMessageBytes: number;
  resultMessages: number;
  invocations: number;
  /** Run time of one invocation, in ms, before rounding. */
  invocationMs: number;
  billedMs: number;
  gbSeconds: number;
  lines: CostLine[];
  totalUsd: number;
  /** Expected wall time of the workers' part in standard mode, and the concurrency it reaches (`scaling.standard`). */
  wall: { ms: number; concurrency: number };
  /** The run's predicted course in both modes: wall time, ramp, concurrency over time. */
  scaling: RunScaling;
  lambda: LambdaSettings;
  prices: Pick<PriceTable, 'region' | 'readOn' | 'sources'>;
  /** What the estimate leaves out or assumes. */
  notes: string[];
};

export function estimateRun(input: EstimateInput): RunEstimate {
  const prices = input.prices ?? PRICES;
  const { jobs, jobsPerMessage, lambda } = input;
  const chunk = prices.sqs.billingChunkBytes;
  const messages = input.messages ?? Math.ceil(jobs / jobsPerMessage);
  const jobsPerMessageMean = messages > 0 ? jobs / messages : 0;
  const jobBytes = jobMessageBytes(jobsPerMessageMean, input.avgInputBytes);
  const results = resultMessagesFor(jobsPerMessageMean, input.avgOutputBytes);

  const worker = workerTraffic({
    deliveries: messages,
    jobMessageBytes: jobBytes,
    resultMessagesPerDelivery: results.messages,
    resultMessageBytes: results.bytes,
    chunkBytes: chunk,
  });
  const { invocations, resultMessages } = worker;
  const invocationMs = invocations > 0 ? (jobs / invocations) * input.avgJobMs + (input.invocationOverheadMs ?? 0) : 0;
  const billedPerInvocation = Math.ceil(invocationMs);
  const billedMs = invocations * billedPerInvocation;

  const kb = (bytes: number) => `${formatSignificant(bytes / 1024, 3)} KB`;
  const jobMsgs = `${formatCount(messages)} job messages of ~${kb(jobBytes)}`;
  const resultMsgs = `${formatCount(resultMessages)} result messages of ~${kb(results.bytes)}`;
  const overhead = input.invocationOverheadMs ? ` + ${formatSignificant(input.invocationOverheadMs)} ms` : '';
  const dispatch = batchedCalls(messages, jobBytes, chunk);
  const collect = { receive: receiveCalls(resultMessages, results.bytes, chunk), delete: handleCalls(resultMessages) };
  const lines: CostLine[] = [
    sqsLine('dispatch', 'SendMessageBatch', dispatch, prices, 'estimated', `${jobMsgs}, up to 10 per call → ${countOf(dispatch.calls, 'call')}`),
    sqsLine('worker', 'ReceiveMessage', worker.receive, prices, 'estimated', `${formatCount(messages)} job messages, ${BATCH_SIZE} per receive (batch size) → ${countOf(worker.receive.calls, 'call')}`),
    sqsLine('worker', 'DeleteMessageBatch', worker.delete, prices, 'estimated', `one per invocation → ${countOf(worker.delete.calls, 'call')}`),
    sqsLine('worker', 'SendMessageBatch', worker.send, prices, 'estimated', `${resultMsgs}, each invocation's up to 10 per call → ${countOf(worker.send.calls, 'call')}`),
    sqsLine('collect', 'ReceiveMessage', collect.receive, prices, 'estimated', `${formatCount(resultMessages)} result messages, 10 per receive → ${countOf(collect.receive.calls, 'call')}`),
    sqsLine('collect', 'DeleteMessageBatch', collect.delete, prices, 'estimated', `${formatCount(resultMessages)} result messages, 10 per call → ${countOf(collect.delete.calls, 'call')}`),
    lambdaRequestsLine(invocations, prices, lambda.architecture, 'estimated', `${formatCount(messages)} job messages ÷ ${BATCH_SIZE} per batch → ${countOf(invocations, 'invocation')}`),
    lambdaComputeLine(billedMs, lambda.memoryMb, prices, lambda.architecture, 'estimated',
      `${countOf(invocations, 'invocation')} × ⌈${formatSignificant(invocations > 0 ? jobs / invocations : 0)} jobs × ${formatSignificant(input.avgJobMs)} ms${overhead}⌉ = ${formatCount(billedPerInvocation)} ms`),
  ];

  const scaling = runScaling({ invocations, invocationMs, maxJobMs: input.maxJobMs, lambda });
  const notes = [
    'an estimate: full batches of 10 assumed; a queue drained faster than it fills gives smaller batches, so more invocations and requests',
    'free tiers not deducted; empty receives (long polls finding nothing), logs and data transfer not counted',
  ];
  if (prices.region !== lambda.region) notes.push(`prices are for ${prices.region}, the workers run in ${lambda.region}: give that region's prices with --price-file`);
  notes.push(...scaling.notes);

  return {
    jobs,
    jobsPerMessage,
    messages,
    jobMessageBytes: jobBytes,
    resultMessageBytes: results.bytes,
    resultMessages,
    invocations,
    invocationMs,
    billedMs,
    gbSeconds: lines.at(-1)!.quantity,
    lines,
    totalUsd: totalUsd(lines),
    wall: { ms: scaling.standard.wallMs, concurrency: scaling.standard.peakConcurrency },
    scaling,
    lambda,
    prices: { region: prices.region, readOn: prices.readOn, sources: prices.sources },
    notes,
  };
}
