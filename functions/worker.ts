/**
 * The Lambda worker: SQS event of job messages in → result messages on the run's result queue out.
 *
 * For each record: parse → run its jobs → send the results. A record whose results could not be
 * sent, or whose body breaks the contract, is reported in `batchItemFailures`, so SQS delivers it
 * again and, after maxReceiveCount deliveries, moves it to the dead-letter queue. A job that
 * throws is not a record failure: it becomes an error result.
 *
 * Running out of time: before each job the handler checks the invocation's remaining time. When
 * only the reserve is left, it stops starting jobs, sends the results it has, and sends the jobs
 * it did not start back to the dispatched queue as a new message (a continuation), then reports
 * the record done. No job is lost (the continuation is sent before the record is deleted) and
 * none is computed twice, unless a send fails, in which case the whole record is retried and the
 * collector drops the repeated results. Without a dispatched queue URL there is no continuation:
 * the record is reported failed and retried whole.
 *
 * A run whose result queue is gone has been collected in full (or abandoned by its master): its
 * late, repeated results have no reader, so the record is logged and completed, not retried.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { runJobs } from './run-jobs.js';
import { BUILTIN_TASKS } from './tasks/builtin-tasks.js';
import type { TaskRegistry } from './tasks/registry.js';
import { BatchSender } from './wire/batch-sender.js';
import { DISPATCHED_QUEUE_URL_ENV, FINISHED_QUEUE_URL_ENV, MESSAGE_BODY_BYTES, SQS_LIMITS } from './wire/constants.js';
import { jobEntry, jobMessageHead, parseJobMessage, peekRunId, resultEntry, resultMessageHead, runAttributes, type ContractVersion, type Result, type ResultOrigin } from './wire/contract.js';
import { errorInfo, isMissingQueue, SendError, UsageError } from './wire/errors.js';
import { byteBound, byteLength } from './wire/json.js';
import { entryRoom, pack, type PackLimits } from './wire/packing.js';
import { replyQueueUrl } from './wire/run-queues.js';

export type WorkerOptions = {
  /** The tasks this worker runs. @default - the built-in tasks (square, burn, sleep, fail) */
  tasks?: TaskRegistry;
  /** Client for the queues. @default - a client configured from the environment */
  sqs?: SQSClient;
  /** The stack's finished queue: results of messages that name no reply queue, and the stem of run queues. @default - FANOUT_FINISHED_QUEUE_URL */
  finishedQueueUrl?: string;
  /** Where unstarted jobs go when time runs out. @default - FANOUT_DISPATCHED_QUEUE_URL */
  dispatchedQueueUrl?: string;
  /** @default - a Powertools logger for service "fanout", level from POWERTOOLS_LOG_LEVEL */
  logger?: Logger;
};

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const MESSAGE_LIMITS: PackLimits = { maxBytes: MESSAGE_BODY_BYTES, maxEntries: Number.MAX_SAFE_INTEGER };

/**
 * Time kept back at the end of an invocation to send results and continuations: 15% of the
 * invocation's time, between 1 and 10 seconds.
 */
function reserveMs(invocationMs: number): number {
  return Math.min(10_000, Math.max(1_000, invocationMs * 0.15));
}

/**
 * Builds a handler. Lambda uses `handler` below; local workers build their own with a client
 * pointed at their endpoint, so both run exactly this code.
 */
export function createHandler(options: WorkerOptions = {}): SqsHandler {
  const tasks = options.tasks ?? BUILTIN_TASKS;
  const logger = options.logger ?? new Logger({ serviceName: 'fanout' });
  const finishedQueueUrl = options.finishedQueueUrl ?? process.env[FINISHED_QUEUE_URL_ENV];
  if (!finishedQueueUrl) throw new UsageError(`${FINISHED_QUEUE_URL_ENV} is not set: the worker does not know where to send results`);
  const dispatchedQueueUrl = options.dispatchedQueueUrl ?? process.env[DISPATCHED_QUEUE_URL_ENV];
  const sqs = options.sqs ?? new SQSClient({});
  let invocations = 0;

  return async (event, context) => {
    const origin = { worker: context.logStreamName, cold: invocations++ === 0 };
    // One processor per invocation: it keeps the batch's records and failures on itself, and
    // local pollers run several invocations of this handler at once.
    const processor = new BatchProcessor(EventType.SQS);
    // One sender per queue per invocation: the records' messages share SendMessageBatch calls.
    const senders = new Map<string, BatchSender>();
    const senderFor = (url: string) => {
      let sender = senders.get(url);
      if (!sender) senders.set(url, (sender = new BatchSender(sqs, url, { maxInFlight: SQS_LIMITS.batchEntries })));
      return sender;
    };
    const reserve = reserveMs(context.getRemainingTimeInMillis());
    const shouldStop = () => context.getRemainingTimeInMillis() < reserve;

    const handleRecord = async (record: SQSRecord): Promise<void> => {
      const attempt = Math.max(1, Number(record.attributes.ApproximateReceiveCount) || 1);
      let message;
      let resultsUrl;
      try {
        message = parseJobMessage(record.body);
        resultsUrl = message.v >= 2 && 'reply' in message && message.reply ? replyQueueUrl(finishedQueueUrl, message.reply, message.run) : finishedQueueUrl;
      } catch (error) {
        // Searchable: filter the logs on reason=ContractError. SQS redrives the record to the DLQ.
        logger.error('malformed job message', { reason: errorInfo(error), messageId: record.messageId, run: peekRunId(record.body), receiveCount: attempt });
        throw error;
      }
      const { run, task, v } = message;
      const outcome = await runJobs(tasks, task, message.jobs, { run, attempt, remainingTimeMs: () => context.getRemainingTimeInMillis(), shouldStop });
      const attributes = runAttributes(run);
      const results = senderFor(resultsUrl);
      const sends = resultBodies(v, run, { ...origin, attempt }, outcome.results).map((body) => results.send(body, attributes));
      if (outcome.unfinished.length > 0) {
        if (!dispatchedQueueUrl) {
          logger.warn('out of time with no dispatched queue to continue on: the record will be retried', { messageId: record.messageId, run });
          sends.push(Promise.reject(new SendError(`${DISPATCHED_QUEUE_URL_ENV} is not set: cannot continue ${outcome.unfinished.length} unstarted job(s)`)));
        } else {
          logger.info('out of time: continuing unstarted jobs in a new message', { messageId: record.messageId, run, unfinished: outcome.unfinished.length });
          const head = jobMessageHead({ v, run, task, reply: 'reply' in message ? message.reply : undefined });
          const entries = outcome.unfinished.map((job) => jobEntry(job.id, job.input));
          for (const { body } of pack(head, entries, MESSAGE_LIMITS)) sends.push(senderFor(dispatchedQueueUrl).send(body, attributes));
        }
      }
      const outcomes = await Promise.allSettled(sends);
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed.length === 0) return;
      if (failed.every((f) => isMissingQueue(f.reason)) && resultsUrl !== finishedQueueUrl) {
        logger.info("run's result queue is gone (collected in full, or abandoned): dropping its repeated results", { messageId: record.messageId, run, results: outcome.results.length });
        return;
      }
      logger.error('results not sent', { reason: errorInfo(failed[0]!.reason), messageId: record.messageId, run });
      throw failed[0]!.reason;
    };

    const response = await processPartialResponse(event, handleRecord, processor, { context, throwOnFullBatchFailure: false });
    const failures = response.batchItemFailures.length;
    if (failures > 0) logger.warn('records left for redelivery', { failures, records: event.Records.length });
    return response;
  };
}

/**
 * Result message bodies for one record's results, in the version it was asked in. A result too
 * large for any message becomes an OversizeError result for that job alone.
 */
function resultBodies(v: ContractVersion, run: string, origin: ResultOrigin, results: readonly Result[]): string[] {
  const head = resultMessageHead(v, run, origin);
  const room = entryRoom(head, MESSAGE_LIMITS);
  const entries = results.map((result) => {
    const entry = resultEntry(v, result);
    if (byteBound(entry) <= room) return entry;
    const bytes = byteLength(entry);
    if (bytes <= room) return entry;
    const message = `result of ${bytes} bytes does not fit in one message (limit ${room} bytes)`;
    return resultEntry(v, { id: result.id, ok: false, error: { name: 'OversizeError', message }, started: result.started ?? Date.now(), ms: result.ms });
  });
  return Array.from(pack(head, entries, MESSAGE_LIMITS), (packed) => packed.body);
}

let lambdaHandler: SqsHandler | undefined;

/** The Lambda entry point. Built on first use, so importing this module has no side effects. */
export const handler: SqsHandler = (event, context) => {
  lambdaHandler ??= createHandler();
  return lambdaHandler(event, context);
};
