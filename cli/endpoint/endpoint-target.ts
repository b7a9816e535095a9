/** A target on an endpoint whose queues fanout creates itself: the embedded server, LocalStack. */
import { createSqsClient, type RequestCounter } from './clients.js';
import { endpointConnection } from './connection.js';
import type { AccessKey } from './credentials.js';
import { createQueues, type LocalQueueOverrides } from './queues.js';
import { openTarget, type Target } from './target.js';

export type EndpointTargetOptions = {
  /** Queue attributes other than the stack's, and a name suffix. @default - the stack's queues */
  queues?: LocalQueueOverrides;
  counter?: RequestCounter;
  /** How the target is named in messages. @default - the endpoint URL */
  name?: string;
  /** The key to sign with (the embedded server's). @default - the AWS SDK's credential chain */
  credentials?: AccessKey;
};

/** Creates (or finds) the three queues at `endpoint` and opens a target on them. */
export async function openEndpointTarget(endpoint: string, options: EndpointTargetOptions = {}): Promise<Target> {
  const connection = endpointConnection(endpoint, { credentials: options.credentials });
  const sqs = createSqsClient(connection, { counter: options.counter });
  try {
    const queues = await createQueues(sqs, connection, options.queues);
    return openTarget({ name: options.name ?? connection.url, connection, sqs, queues });
  } catch (error) {
    sqs.destroy();
    throw error;
  }
}
