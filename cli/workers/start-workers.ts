/**
 * Local workers: the Lambda handler, run by the local event-source poller against a target's
 * dispatched queue. Used by `fanout local`, `fanout run --local` and `fanout work`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '../../functions/wire/constants.js';
import type { TaskRegistry } from '../../functions/tasks/registry.js';
import { createHandler } from '../../functions/worker.js';
import { EventSourcePoller, type EventSourcePollerOptions } from './event-source-poller.js';
import type { Target } from '../endpoint/target.js';

export type WorkerPoolOptions = Pick<
  EventSourcePollerOptions,
  'batchSize' | 'maximumBatchingWindowMs' | 'concurrency' | 'functionTimeoutMs' | 'heartbeat' | 'waitTimeSeconds'
> & {
  target: Target;
  /** Powertools log level of the handler's logs. @default 'WARN' - failures only */
  logLevel?: LogLevel;
  /** The tasks the handler runs. @default - the built-in tasks */
  tasks?: TaskRegistry;
};

export async function startWorkers(options: WorkerPoolOptions): Promise<EventSourcePoller> {
  const { target, logLevel, tasks, ...pollerOptions } = options;
  const handler = createHandler({
    tasks,
    sqs: target.sqs,
    finishedQueueUrl: target.queues.finished.url,
    dispatchedQueueUrl: target.queues.dispatched.url,
    logger: new Logger({ serviceName: 'fanout', logLevel: logLevel ?? 'WARN' }),
  });
  const poller = new EventSourcePoller({
    ...pollerOptions,
    sqs: target.sqs,
    queueUrl: target.queues.dispatched.url,
    queueArn: target.queues.dispatched.arn,
    handler,
  });
  await poller.start();
  return poller;
}
