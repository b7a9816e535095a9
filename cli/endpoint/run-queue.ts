/**
 * A run's own result queue (functions/wire/run-queues.ts says why): created by dispatch as a
 * sibling of the stack's finished queue — the same retention, visibility, size and encryption,
 * and on AWS the same SSL-only policy — and deleted by collect once every result is stored.
 */
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, type QueueAttributeName } from '@aws-sdk/client-sqs';
import { isMissingQueue } from '../../functions/wire/errors.js';
import { queueNameOf, runQueueName } from '../../functions/wire/run-queues.js';
import { explainSqsError } from './aws-errors.js';
import { endpointOf } from './connection.js';
import { onEndpoint } from './queues.js';
import type { Target } from './target.js';

/** The finished queue's attributes a run queue copies. */
const COPIED: QueueAttributeName[] = ['VisibilityTimeout', 'MessageRetentionPeriod', 'MaximumMessageSize', 'SqsManagedSseEnabled', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds'];

/** Creates (or finds) run `run`'s result queue at the target; resolves to its URL. */
export async function createRunQueue(target: Target, run: string): Promise<string> {
  const finished = target.queues.finished;
  const name = runQueueName(queueNameOf(finished.url), run);
  try {
    const { Attributes = {} } = await target.sqs.send(new GetQueueAttributesCommand({ QueueUrl: finished.url, AttributeNames: COPIED }));
    const attributes: Record<string, string> = {};
    for (const key of COPIED) if (Attributes[key] !== undefined) attributes[key] = Attributes[key]!;
    if (target.connection.kind === 'aws') attributes.Policy = sslOnlyPolicy(finished.arn.replace(/[^:]+$/, name));
    const { QueueUrl } = await target.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
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
