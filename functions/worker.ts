/**
 * The Lambda worker: SQS event of job messages in → result messages on the finished queue out.
 *
 * For each record: parse → run its jobs → send the results. A record whose results could not be
 * sent, or whose body breaks the contract, is reported in `batchItemFailures`, so SQS delivers it
 * again and, after maxReceiveCount deliveries, moves it to the dead-letter queue. A job that
 * throws is not a record failure: it becomes an error result.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { BatchSender } from './batch-sender.js';
import { FINISHED_QUEUE_URL_ENV, QUEUES, RUN_ATTRIBUTE, SQS_LIMITS } from './constants.js';
import { byteLength, packResultMessages, parseJobMessage, peekRunId, type Result } from './contract.js';
import { ConfigError, errorInfo, OversizeError } from './errors.js';
import { runJobs } from './run-jobs.js';

export type WorkerOptions = {
  /** Client for the finished queue. @default - a client configured from the environment */
  sqs?: SQSClient;
  /** Where results go. @default - the FANOUT_FINISHED_QUEUE_URL environment variable */
  finishedQueueUrl?: string;
  /** @default - a Powertools logger for service "fanout", level from POWERTOOLS_LOG_LEVEL */
  logger?: Logger;
};

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Room left in each result message for its attribute and SQS's own accounting. */
const RESULT_LIMITS = { maxBytes: QUEUES.messageBytes - 1024, maxEntries: Number.MAX_SAFE_INTEGER };

/**
 * Builds a handler. Lambda uses `handler` below; the local runtime builds its own with a client
 * pointed at the embedded server, so both run exactly this code.
 */
export function createHandler(options: WorkerOptions = {}): SqsHandler {
  const logger = options.logger ?? new Logger({ serviceName: 'fanout' });
  const finishedQueueUrl = options.finishedQueueUrl ?? process.env[FINISHED_QUEUE_URL_ENV];
  if (!finishedQueueUrl) throw new ConfigError(`${FINISHED_QUEUE_URL_ENV} is not set: the worker does not know where to send results`);
  const sqs = options.sqs ?? new SQSClient({});
  const processor = new BatchProcessor(EventType.SQS);

  return async (event, context) => {
    // One sender per invocation: the records' results share SendMessageBatch calls.
    const sender = new BatchSender(sqs, finishedQueueUrl, { maxInFlight: SQS_LIMITS.batchEntries });

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
      const { results } = await runJobs(message.task, message.jobs);
      const attributes = { [RUN_ATTRIBUTE]: { DataType: 'String', StringValue: message.run } };
      try {
        await Promise.all(packResults(message.run, results).map((body) => sender.send(body, attributes)));
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
    return Array.from(packResultMessages(run, results, RESULT_LIMITS), (packed) => packed.body);
  } catch (error) {
    if (!(error instanceof OversizeError)) throw error;
    const fitted = results.map((result): Result => {
      const bytes = byteLength(JSON.stringify(result));
      if (bytes < RESULT_LIMITS.maxBytes - 256) return result;
      const message = `result of ${bytes} bytes does not fit in one message (limit ${RESULT_LIMITS.maxBytes} bytes)`;
      return { id: result.id, ok: false, error: { name: 'OversizeError', message }, ms: result.ms };
    });
    return Array.from(packResultMessages(run, fitted, RESULT_LIMITS), (packed) => packed.body);
  }
}

let lambdaHandler: SqsHandler | undefined;

/** The Lambda entry point. Built on first use, so importing this module has no side effects. */
export const handler: SqsHandler = (event, context) => {
  lambdaHandler ??= createHandler();
  return lambdaHandler(event, context);
};
