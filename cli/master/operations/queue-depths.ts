/** How many messages wait, are in flight, or are dead-lettered: the run-wide view for `fanout status`. */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Queue } from '../../endpoint/queues.js';
import type { Target } from '../../endpoint/target.js';
import { explainSqsError } from '../../endpoint/aws-errors.js';

export type QueueDepth = { url: string; visible: number; inFlight: number; delayed: number };
export type QueueDepths = { dispatched: QueueDepth; deadLetter: QueueDepth; finished: QueueDepth };

export async function queueDepths(target: Target): Promise<QueueDepths> {
  const depth = async (queue: Queue): Promise<QueueDepth> => {
    try {
      const { Attributes = {} } = await target.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      return {
        url: queue.url,
        visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
        delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      };
    } catch (error) {
      throw explainSqsError(error, target, queue.url);
    }
  };
  const [dispatched, deadLetter, finished] = await Promise.all([depth(target.queues.dispatched), depth(target.queues.deadLetter), depth(target.queues.finished)]);
  return { dispatched, deadLetter, finished };
}
