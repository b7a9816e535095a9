/**
 * The one place where queue names, queue attributes and wire limits live.
 * The CDK stack (`cdk/`) and the local runtime (`cli/local/`) both read these, so a
 * queue created on a laptop behaves like the one deployed to AWS.
 */

/** SQS's hard limits (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html). */
export const SQS_LIMITS = {
  /** Entries per SendMessageBatch / DeleteMessageBatch / ChangeMessageVisibilityBatch call. */
  batchEntries: 10,
  /** Messages per ReceiveMessage call. */
  receiveMessages: 10,
  /** Longest long poll, in seconds. */
  maxWaitTimeSeconds: 20,
  /** Largest message and largest batch payload, in bytes (1 MiB since August 2025). */
  maxMessageBytes: 1_048_576,
} as const;

/** How long the Lambda worker may run per invocation. */
export const WORKER_TIMEOUT_SECONDS = 60;

/**
 * Queue settings shared by the stack and the local runtime.
 * `messageBytes` is set explicitly on every queue: packing (several jobs per message) relies on it.
 */
export const QUEUES = {
  dispatched: {
    name: 'fanout-dispatched',
    /** AWS requires ≥ 6 × the function timeout for a queue that triggers a Lambda. */
    visibilityTimeoutSeconds: 6 * WORKER_TIMEOUT_SECONDS,
    retentionSeconds: 4 * 24 * 3600,
    /** Deliveries before SQS moves a message to the dead-letter queue. */
    maxReceiveCount: 5,
  },
  deadLetter: {
    name: 'fanout-dead-letter',
    /** The longest SQS allows: time to inspect and redrive poison jobs. */
    retentionSeconds: 14 * 24 * 3600,
  },
  finished: {
    name: 'fanout-finished',
    /** A collector deletes a result within moments of receiving it; 30 s is SQS's default. */
    visibilityTimeoutSeconds: 30,
    retentionSeconds: 4 * 24 * 3600,
  },
  messageBytes: SQS_LIMITS.maxMessageBytes,
} as const;

/**
 * Largest message body fanout writes: the queues' limit less room for the run attribute and
 * SQS's own accounting of attributes.
 */
export const MESSAGE_BODY_BYTES = QUEUES.messageBytes - 1024;

/** The environment variable that tells the worker where to send results. */
export const FINISHED_QUEUE_URL_ENV = 'FANOUT_FINISHED_QUEUE_URL';

/** The environment variable naming the dispatched queue, where a worker short of time hands on unstarted jobs. */
export const DISPATCHED_QUEUE_URL_ENV = 'FANOUT_DISPATCHED_QUEUE_URL';

/** The message attribute carrying the run id, so a collector can skip other runs without parsing bodies. */
export const RUN_ATTRIBUTE = 'fanout-run';

/** Log levels of Powertools' logger (`POWERTOOLS_LOG_LEVEL`), for the deployed and the local worker alike. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];
