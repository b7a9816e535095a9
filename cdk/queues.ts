/**
 * The three queues of a `Fanout`: dispatched (jobs, triggers the worker), its dead-letter queue,
 * and finished (results). Fixed physical names (`QUEUES.*.name` after the prefix), so a deployed
 * queue is recognisable as the one the local runtime mimics.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { QUEUES } from '../functions/wire/constants.js';

export type FanoutQueuesInput = {
  /** Prepended to each queue's name (`FanoutProps.queueNamePrefix`). */
  readonly prefix: string;
  /** The dispatched queue's visibility timeout, in seconds. */
  readonly visibilitySeconds: number;
};

/** Created in `scope` under the construct IDs `DeadLetter`, `Dispatched` and `Finished`. */
export type FanoutQueues = {
  readonly deadLetter: sqs.Queue;
  readonly dispatched: sqs.Queue;
  readonly finished: sqs.Queue;
};

export function createFanoutQueues(scope: Construct, { prefix, visibilitySeconds }: FanoutQueuesInput): FanoutQueues {
  // Every queue: SSL-only resource policy, SQS-managed SSE (no KMS key, so no kms:* grants), and the
  // explicit message size that packing relies on.
  const common = {
    enforceSSL: true,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    maxMessageSizeBytes: QUEUES.messageBytes,
  } satisfies sqs.QueueProps;

  // Only the dispatched queue may use this queue as its dead-letter queue. Its ARN is built from its
  // fixed name rather than referenced: dispatched's RedrivePolicy already references this queue, and a
  // reference back would be a circular dependency.
  const dispatchedArn = Stack.of(scope).formatArn({
    service: 'sqs',
    resource: `${prefix}${QUEUES.dispatched.name}`,
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
  // Retained: `cdk destroy`, or a replacement (a new prefix renames it), would otherwise delete the jobs
  // that failed every delivery, which the stack keeps for their 14 days so they can be redriven. The
  // other queues go with the stack: jobs not yet run, results not yet collected (4 days' retention).
  const deadLetter = new sqs.Queue(scope, 'DeadLetter', {
    ...common,
    queueName: `${prefix}${QUEUES.deadLetter.name}`,
    retentionPeriod: Duration.seconds(QUEUES.deadLetter.retentionSeconds),
    removalPolicy: RemovalPolicy.RETAIN,
    redriveAllowPolicy: {
      redrivePermission: sqs.RedrivePermission.BY_QUEUE,
      sourceQueues: [sqs.Queue.fromQueueArn(scope, 'DispatchedByArn', dispatchedArn)],
    },
  });
  const dispatched = new sqs.Queue(scope, 'Dispatched', {
    ...common,
    queueName: `${prefix}${QUEUES.dispatched.name}`,
    retentionPeriod: Duration.seconds(QUEUES.dispatched.retentionSeconds),
    visibilityTimeout: Duration.seconds(visibilitySeconds),
    deadLetterQueue: { queue: deadLetter, maxReceiveCount: QUEUES.dispatched.maxReceiveCount },
  });
  const finished = new sqs.Queue(scope, 'Finished', {
    ...common,
    queueName: `${prefix}${QUEUES.finished.name}`,
    retentionPeriod: Duration.seconds(QUEUES.finished.retentionSeconds),
    visibilityTimeout: Duration.seconds(QUEUES.finished.visibilityTimeoutSeconds),
  });
  return { deadLetter, dispatched, finished };
}
