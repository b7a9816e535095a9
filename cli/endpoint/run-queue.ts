/**
 * A run's own result queue (functions/wire/run-queues.ts says why): created by dispatch as a
 * sibling of the stack's finished queue — the same retention, visibility, size and encryption,
 * and its resource policy (the stack's SSL-only one) with the run queue's ARN in it — tagged with
 * its run, and deleted by collect once every result is stored. A run never collected keeps its
 * queue (its results for the 4 days of retention): `fanout status` lists such queues with their age.
 */
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { isMissingQueue } from '../../functions/wire/errors.js';
import { queueNameOf, runQueueName } from '../../functions/wire/run-queues.js';
import { explainSqsError } from './aws-errors.js';
import { endpointOf } from './connection.js';
import { onEndpoint } from './queues.js';
import type { Target } from './target.js';

/** The finished queue's attributes a run queue copies (its Policy too, rewritten for the run queue). */
const COPIED: QueueAttributeName[] = ['VisibilityTimeout', 'MessageRetentionPeriod', 'MaximumMessageSize', 'SqsManagedSseEnabled', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds'];

/**
 * Tags of a run queue: which run it carries, and whose finished queue it sits beside (for the console,
 * cost allocation, and a cleanup by tag). Tagging at creation needs sqs:TagQueue beside sqs:CreateQueue.
 */
export const RUN_QUEUE_TAGS = { run: 'fanout:run', finishedQueue: 'fanout:finished-queue' } as const;

/** Creates (or finds) run `run`'s result queue at the target; resolves to its URL. */
export async function createRunQueue(target: Target, run: string): Promise<string> {
  const finished = target.queues.finished;
  const name = runQueueName(queueNameOf(finished.url), run);
  try {
    const { Attributes = {} } = await target.sqs.send(new GetQueueAttributesCommand({ QueueUrl: finished.url, AttributeNames: [...COPIED, 'Policy'] }));
    const attributes: Record<string, string> = {};
    for (const key of COPIED) if (Attributes[key] !== undefined) attributes[key] = Attributes[key]!;
    const arn = finished.arn.replace(/[^:]+$/, name);
    // The stack's policy of the finished queue, about the run queue instead; on AWS, the SSL-only one at least.
    if (Attributes.Policy) attributes.Policy = Attributes.Policy.replaceAll(JSON.stringify(finished.arn), JSON.stringify(arn));
    else if (target.connection.kind === 'aws') attributes.Policy = sslOnlyPolicy(arn);
    const tags = { [RUN_QUEUE_TAGS.run]: run, [RUN_QUEUE_TAGS.finishedQueue]: queueNameOf(finished.url) };
    const { QueueUrl } = await target.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes, tags }));
    return onEndpoint(QueueUrl!, endpointOf(target.connection));
  } catch (error) {
    throw explainSqsError(error, target, name);
  }
}

/** Deletes a run's result queue; one already gone counts as deleted. */
export async function deleteRunQueue(target: Target, url: string): Promise<void> {
  try {
    await target.sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  } catch (error) {
    if (!isMissingQueue(error)) throw explainSqsError(error, target, url);
  }
}

/** The resource policy the stack gives its queues (`enforceSSL`): no request over plain HTTP. */
function sslOnlyPolicy(queueArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: queueArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  });
}
