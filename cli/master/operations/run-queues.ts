/**
 * The run queues still standing at a target: `<finished queue name>-<run id>`, made by dispatch and
 * deleted by collect once every result is stored. One listed here was never collected in full (or its
 * collect is running): its results wait in it until retention drops them, 4 days after they arrived.
 * For `fanout status`, with each queue's age and depth.
 */
import { GetQueueAttributesCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { isRunId } from '../../../functions/wire/contract.js';
import { isMissingQueue } from '../../../functions/wire/errors.js';
import { queueNameOf } from '../../../functions/wire/run-queues.js';
import { explainSqsError } from '../../endpoint/aws-errors.js';
import { endpointOf } from '../../endpoint/connection.js';
import { onEndpoint } from '../../endpoint/queues.js';
import type { Target } from '../../endpoint/target.js';

export type RunQueue = {
  run: string;
  url: string;
  /** When SQS created it (its CreatedTimestamp), ISO 8601. */
  createdAt: string;
  /** Seconds since then, at `now`. */
  ageSeconds: number;
  /** Result messages waiting, and received but not yet deleted. */
  visible: number;
  inFlight: number;
};

/** The run queues beside the target's finished queue, oldest first. */
export async function runQueues(target: Target, now: Date = new Date()): Promise<RunQueue[]> {
  const prefix = `${queueNameOf(target.queues.finished.url)}-`;
  const urls = await listQueues(target, prefix);
  const found = await Promise.all(urls.map((url) => describe(target, prefix, url, now)));
  return found.filter((queue): queue is RunQueue => queue !== undefined).sort((a, b) => b.ageSeconds - a.ageSeconds);
}

async function listQueues(target: Target, prefix: string): Promise<string[]> {
  const urls: string[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await target.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken }));
      urls.push(...(page.QueueUrls ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    throw explainSqsError(error, target, prefix);
  }
  // A run queue's name is exactly the prefix and a run id.
  return urls.filter((url) => isRunId(queueNameOf(url).slice(prefix.length))).map((url) => onEndpoint(url, endpointOf(target.connection)));
}

/** A run queue's age and depth; undefined if it went away meanwhile (its collect finished). */
async function describe(target: Target, prefix: string, url: string, now: Date): Promise<RunQueue | undefined> {
  try {
    const { Attributes = {} } = await target.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['CreatedTimestamp', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    const created = new Date(Number(Attributes.CreatedTimestamp ?? 0) * 1000);
    return {
      run: queueNameOf(url).slice(prefix.length),
      url,
      createdAt: created.toISOString(),
      ageSeconds: Math.max(0, Math.round((now.getTime() - created.getTime()) / 1000)),
      visible: Number(Attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  } catch (error) {
    if (isMissingQueue(error)) return undefined;
    throw explainSqsError(error, target, url);
  }
}
