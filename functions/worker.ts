/**
 * The Lambda worker: SQS event of job messages in → result messages on the finished queue out.
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
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchSender } from './wire/batch-sender.js';
import { DISPATCHED_QUEUE_URL_ENV, FINISHED_QUEUE_URL_ENV, MESSAGE_BODY_BYTES, SQS_LIMITS } from './wire/constants.js';
import { byteLength, packJobMessages, packResultMessages, parseJobMessage, peekRunId, runAttributes, type Result } from './wire/contract.js';
import { UsageError, errorInfo, OversizeError, SendError } from './wire/errors.js';
import { runJobs } from './run-jobs.js';

export type WorkerOptions = {
  /** Client for the finished queue. @default - a client configured from the environment */
  sqs?: SQSClient;
  /** Where results go. @default - the FANOUT_FINISHED_QUEUE_URL environment variable */
  finishedQueueUrl?: string;
  /** Where unstarted jobs go when time runs out. @default - the FANOUT_DISPATCHED_QUEUE_URL environment variable */
  dispatchedQueueUrl?: string;
  /** @default - a Powertools logger for service "fanout", level from POWERTOOLS_LOG_LEVEL */
  logger?: Logger;
};

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const MESSAGE_LIMITS = { maxBytes: MESSAGE_BODY_BYTES, maxEntries: Number.MAX_SAFE_INTEGER };

/**
 * Time kept back at the end of an invocation to send results and continuations: 15% of the
 * invocation's time, between 1 and 10 seconds.
 */
export function reserveMs(invocationMs: number): number {
  return Math.min(10_000, Math.max(1_000, invocationMs * 0.15));
}

/**
 * Builds a handler. Lambda uses `handler` below; the local runtime builds its own with a client
 * pointed at the embedded server, so both run exactly this code.
 */
export function createHandler(options: WorkerOptions = {}): SqsHandler {
  const logger = options.logger ?? new Logger({ serviceName: 'fanout' });
  const finishedQueueUrl = options.finishedQueueUrl ?? process.env[FINISHED_QUEUE_URL_ENV];
  if (!finishedQueueUrl) throw new UsageError(`${FINISHED_QUEUE_URL_ENV} is not set: the worker does not know where to send results`);
  const dispatchedQueueUrl = options.dispatchedQueueUrl ?? process.env[DISPATCHED_QUEUE_URL_ENV];
  const sqs = options.sqs ?? new SQSClient({});

  return async (event, context) => {
    // One processor per invocation: it keeps the batch's records and failures on itself, and
    // the local poller runs several invocations of this handler at once.
    const processor = new BatchProcessor(EventType.SQS);
    // One sender per queue per invocation: the records' messages share SendMessageBatch calls.
    const results = new BatchSender(sqs, finishedQueueUrl, { maxInFlight: SQS_LIMITS.batchEntries });
    const continuations = dispatchedQueueUrl ? new BatchSender(sqs, dispatchedQueueUrl) : undefined;
    const reserve = reserveMs(context.getRemainingTimeInMillis());
    const shouldStop = () => context.getRemainingTimeInMillis() < reserve;

    const handleRecord = async (record: SQSRecord): Promise<void> => {
      let message;
      try {
        message = parseJobMessage(record.body);
      } catch (error) {
        // Searchable: filter the logs on reason=ContractError. SQS redrives the record to the DLQ.
        logger.error('malformed job message', {
          reason: errorInfo(error),
          messageId: record.messageId,
          run: peekRunId(record.body),
          receiveCount: Number(record.attributes.ApproximateReceiveCount),
        });
        throw error;
      }
      const outcome = await runJobs(message.task, message.jobs, { shouldStop });
      const attributes = runAttributes(message.run);
      const sends = packResults(message.run, outcome.results).map((body) => results.send(body, attributes));
      if (outcome.unfinished.length > 0) {
        if (!continuations) {
          logger.warn('out of time with no dispatched queue to continue on: the record will be retried', { messageId: record.messageId, run: message.run });
          sends.push(Promise.reject(new SendError(`${DISPATCHED_QUEUE_URL_ENV} is not set: cannot continue ${outcome.unfinished.length} unstarted job(s)`)));
        } else {
          logger.info('out of time: continuing unstarted jobs in a new message', { messageId: record.messageId, run: message.run, unfinished: outcome.unfinished.length });
          for (const { body } of packJobMessages(message.run, message.task, outcome.unfinished, MESSAGE_LIMITS)) sends.push(continuations.send(body, attributes));
        }
      }
      try {
        await Promise.all(sends);
      } catch (error) {
        logger.error('results not sent', { reason: errorInfo(error), messageId: record.messageId, run: message.run });
        throw error;
      }
    };

    const response = await processPartialResponse(event, handleRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
    const failures = response.batchItemFailures.length;
    if (failures > 0) logger.warn('records left for redelivery', { failures, records: event.Records.length });
    return response;
  };
}

/** Result bodies for one message; a result too large for any message becomes an OversizeError result. */
function packResults(run: string, results: Result[]): string[] {
  try {
    return Array.from(packResultMessages(run, results, MESSAGE_LIMITS), (packed) => packed.body);
  } catch (error) {
    if (!(error instanceof OversizeError)) throw error;
    const fitted = results.map((result): Result => {
      const bytes = byteLength(JSON.stringify(result));
      if (bytes < MESSAGE_LIMITS.maxBytes - 256) return result;
      const message = `result of ${bytes} bytes does not fit in one message (limit ${MESSAGE_LIMITS.maxBytes} bytes)`;
      return { id: result.id, ok: false, error: { name: 'OversizeError', message }, ms: result.ms };
    });
    return Array.from(packResultMessages(run, fitted, MESSAGE_LIMITS), (packed) => packed.body);
  }
}

let lambdaHandler: SqsHandler | undefined;

/** The Lambda entry point. Built on first use, so importing this module has no side effects. */
export const handler: SqsHandler = (event, context) => {
  lambdaHandler ??= createHandler();
  return lambdaHandler(event, context);
};
