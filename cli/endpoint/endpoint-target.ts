/** A target on an endpoint whose queues fanout creates itself: the embedded server, LocalStack. */
import { createSqsClient, type RequestCounter } from './clients.js';
import { endpointConnection } from './connection.js';
import { LOCAL_REGION, type AccessKey } from './credentials.js';
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
  // The embedded server (its key given) lives in us-east-1: asking the SDK's region chain would end
  // in a request to the EC2 instance metadata service, which off EC2 waits for its timeout.
  const connection = endpointConnection(endpoint, { credentials: options.credentials, ...(options.credentials && { region: LOCAL_REGION }) });
  const sqs = createSqsClient(connection, { counter: options.counter });
  try {
    const queues = await createQueues(sqs, connection, options.queues);
    return openTarget({ name: options.name ?? connection.url, connection, sqs, queues });
  } catch (error) {
    sqs.destroy();
    throw error;
  }
}
