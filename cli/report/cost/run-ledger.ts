/**
 * What a run cost, after the fact: the requests dispatch and collect counted themselves, the
 * workers' requests estimated from the messages delivered (fanout cannot see them: they happen
 * inside AWS), and Lambda's billed duration from the jobs' measured times.
 *
 * The workers' share: deliveries = the run's messages + the redeliveries its results show
 * (Σ (attempt − 1) over the results ÷ jobs per message); invocations = ⌈deliveries ÷ 10⌉; each
 * invocation runs an even share of Σ job ms, rounded up to the millisecond.
 */
import type { LambdaSettings, MeasuredRun } from './measured-run.js';
import { lambdaComputeLine, lambdaRequestsLine, sqsLine, totalUsd, type CostLine } from './cost-line.js';
import { countOf, formatCount, formatSignificant } from './numbers.js';
import { PRICES, type PriceTable } from './prices.js';
import { billedRequests, type Requests } from './sqs-requests.js';
import { jobMessageBytes, resultMessagesFor } from './wire-sizes.js';
import { BATCH_SIZE, workerTraffic } from './worker-traffic.js';

export type RunLedger = {
  lines: CostLine[];
  totalUsd: number;
  /** Job messages delivered to the function, redeliveries included (estimated). */
  deliveries: number;
  invocations: number;
  /** Σ of the jobs' measured ms. */
  jobMs: number;
  billedMs: number;
  gbSeconds: number;
  lambda: LambdaSettings;
  prices: Pick<PriceTable, 'region' | 'readOn' | 'sources'>;
  notes: string[];
};

/** Payload-carrying operations, billed per 64 KB; the rest carry receipt handles or nothing. */
const PAYLOAD_OPERATIONS = new Set(['SendMessageBatch', 'SendMessage', 'ReceiveMessage']);

export function runLedger(data: MeasuredRun, prices: PriceTable = PRICES): RunLedger {
  const { run, lambda } = data;
  const chunk = prices.sqs.billingChunkBytes;
  const jobsPerMessage = run.messages > 0 ? run.jobs / run.messages : 0;
  const payload = data.payload ?? { avgInputBytes: 0, avgOutputBytes: 0 };
  const jobBytes = jobMessageBytes(jobsPerMessage, payload.avgInputBytes);
  const results = resultMessagesFor(jobsPerMessage, payload.avgOutputBytes);

  const extraAttempts = data.jobs.reduce((sum, job) => sum + Math.max(0, (job.attempt ?? 1) - 1), 0);
  const redeliveries = jobsPerMessage > 0 ? Math.ceil(extraAttempts / jobsPerMessage) : 0;
  const deliveries = run.messages + redeliveries;
  const worker = workerTraffic({ deliveries, jobMessageBytes: jobBytes, resultMessagesPerDelivery: results.messages, resultMessageBytes: results.bytes, chunkBytes: chunk });

  // What a counted call carried, on average: the run's messages spread over its calls.
  const payloadOf = { dispatch: run.messages * jobBytes, collect: worker.resultMessages * results.bytes };
  const counted = (role: 'dispatch' | 'collect'): CostLine[] =>
    Object.entries(data.requests[role])
      .filter(([, calls]) => calls > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, calls]) => {
        const perCall = data.payload && PAYLOAD_OPERATIONS.has(operation) ? billedRequests(payloadOf[role] / calls, chunk) : 1;
        const requests: Requests = { calls, billed: calls * perCall };
        const how = !PAYLOAD_OPERATIONS.has(operation)
          ? `counted by ${role}: ${countOf(calls, 'call')}`
          : data.payload
            ? `counted by ${role}: ${countOf(calls, 'call')} of ~${formatSignificant(payloadOf[role] / calls / 1024)} KB mean payload`
            : `counted by ${role}: ${countOf(calls, 'call')} (payload sizes unknown: each taken as under 64 KB)`;
        return sqsLine(role, operation, requests, prices, 'counted', how);
      });

  const jobMs = data.jobs.reduce((sum, job) => sum + job.ms, 0);
  const { invocations } = worker;
  const perInvocation = invocations > 0 ? Math.ceil(jobMs / invocations) : 0;
  const billedMs = invocations * perInvocation;
  const redelivered = redeliveries > 0 ? ` + ${formatCount(redeliveries)} redelivered` : '';
  const deliveredText = `${formatCount(run.messages)} job messages${redelivered}`;

  const lines: CostLine[] = [
    ...counted('dispatch'),
    sqsLine('worker', 'ReceiveMessage', worker.receive, prices, 'estimated', `${deliveredText}, ${BATCH_SIZE} per receive → ${countOf(worker.receive.calls, 'call')}`),
    sqsLine('worker', 'DeleteMessageBatch', worker.delete, prices, 'estimated', `one per invocation → ${countOf(worker.delete.calls, 'call')}`),
    sqsLine('worker', 'SendMessageBatch', worker.send, prices, 'estimated', `${formatCount(worker.resultMessages)} result messages, each invocation's up to 10 per call → ${countOf(worker.send.calls, 'call')}`),
    ...counted('collect'),
    lambdaRequestsLine(invocations, prices, lambda.architecture, 'estimated', `${deliveredText} ÷ ${BATCH_SIZE} per batch → ${countOf(invocations, 'invocation')}`),
    lambdaComputeLine(billedMs, lambda.memoryMb, prices, lambda.architecture, 'estimated',
      `Σ job ms ${formatCount(jobMs)} over ${countOf(invocations, 'invocation')} → ⌈${formatSignificant(invocations > 0 ? jobMs / invocations : 0)}⌉ = ${formatCount(perInvocation)} ms each`),
  ];

  const notes = [
    'an estimate: dispatch and collect requests are counted; the workers\' requests and Lambda\'s invocations are derived from the messages, assuming full batches of 10',
    'free tiers not deducted; logs and data transfer not counted',
  ];
  if (run.targetKind !== 'aws') notes.push(`this run ran on ${run.target}, not on AWS: the Lambda lines say what it would have cost there`);
  if (!data.payload) notes.push('payload sizes unknown: every request taken as under 64 KB');
  if (prices.region !== lambda.region) notes.push(`prices are for ${prices.region}, the workers run in ${lambda.region}: give that region's prices with --price-file`);

  return {
    lines,
    totalUsd: totalUsd(lines),
    deliveries,
    invocations,
    jobMs,
    billedMs,
    gbSeconds: lines.at(-1)!.quantity,
    lambda,
    prices: { region: prices.region, readOn: prices.readOn, sources: prices.sources },
    notes,
  };
}
