/**
 * Lambda refuses to trigger a function from a queue whose visibility timeout is shorter than the
 * function timeout: a message would come back while its job still runs. Local workers extend the
 * visibility while a job runs (the heartbeat), but a CPU-bound job in a worker process blocks its
 * heartbeat, so the same pairing can run a job twice at once. Said, not refused: tests use short
 * visibility timeouts on purpose.
 */
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { Target } from '../endpoint/target.js';

/** A warning when the dispatched queue's visibility timeout is shorter than the function timeout; undefined when it is not (or cannot be read). */
export async function visibilityWarning(target: Target, functionTimeoutMs: number): Promise<string | undefined> {
  const { Attributes } = await target.sqs
    .send(new GetQueueAttributesCommand({ QueueUrl: target.queues.dispatched.url, AttributeNames: ['VisibilityTimeout'] }))
    .catch(() => ({ Attributes: undefined }));
  const visibilitySeconds = Number(Attributes?.VisibilityTimeout);
  if (!Number.isFinite(visibilitySeconds) || visibilitySeconds * 1000 >= functionTimeoutMs) return undefined;
  return `the dispatched queue's visibility timeout (${visibilitySeconds} s) is shorter than the function timeout (${functionTimeoutMs / 1000} s): Lambda refuses this pairing, and a CPU-bound job could run twice at once; lower --function-timeout`;
}
