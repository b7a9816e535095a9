/**
 * The three queues of a fan-out, found by name on an endpoint or created there with the
 * attributes the CDK stack gives them (from functions/constants.ts).
 */
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DISPATCHED_QUEUE_URL_ENV, FINISHED_QUEUE_URL_ENV, QUEUES } from '../../functions/wire/constants.js';
import { UsageError } from '../../functions/wire/errors.js';
import { explainSqsError } from './aws-errors.js';
import { endpointOf, type Connection, type EndpointConnection } from './connection.js';

export type Queue = { url: string; arn: string };
export type Queues = { dispatched: Queue; deadLetter: Queue; finished: Queue };

/** Overrides for local queues, e.g. a short visibility timeout in tests. Deployed queues use the constants. */
export type LocalQueueOverrides = {
  /** Appended to every queue name, so tests sharing one endpoint (LocalStack) do not collide. */
  nameSuffix?: string;
  dispatchedVisibilityTimeoutSeconds?: number;
  finishedVisibilityTimeoutSeconds?: number;
  maxReceiveCount?: number;
};

/**
 * A local endpoint's queue URL, re-rooted on the endpoint itself. The embedded server names its
 * queues http://sqs.<region>.localhost:<port>/…, a host that does not resolve everywhere; it
 * finds queues by name whatever the host, so the endpoint's own origin always works.
 */
export function onEndpoint(url: string, endpoint: string | undefined): string {
  return endpoint ? new URL(new URL(url).pathname, endpoint).href : url;
}

/** Creates (or finds, if they exist with the same attributes) the queues on a local endpoint. */
export async function createQueues(sqs: SQSClient, connection: EndpointConnection, overrides: LocalQueueOverrides = {}): Promise<Queues> {
  const endpoint = connection.url;
  const at = { where: endpoint, connection };
  const create = async (name: string, attributes: Record<string, string>): Promise<Queue> => {
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      const url = onEndpoint(QueueUrl!, endpoint);
      return { url, arn: await queueArn(sqs, url) };
    } catch (error) {
      throw explainSqsError(error, at, name);
    }
  };
  const size = String(QUEUES.messageBytes);
  const suffix = overrides.nameSuffix ? `-${overrides.nameSuffix}` : '';
  // The finished queue alongside the dead-letter queue; the dispatched queue names the latter's ARN.
  const finishing = create(QUEUES.finished.name + suffix, {
    VisibilityTimeout: String(overrides.finishedVisibilityTimeoutSeconds ?? QUEUES.finished.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(QUEUES.finished.retentionSeconds),
    MaximumMessageSize: size,
  });
  finishing.catch(() => {});
  const deadLetter = await create(QUEUES.deadLetter.name + suffix, {
    MessageRetentionPeriod: String(QUEUES.deadLetter.retentionSeconds),
    MaximumMessageSize: size,
  });
  const dispatched = await create(QUEUES.dispatched.name + suffix, {
    VisibilityTimeout: String(overrides.dispatchedVisibilityTimeoutSeconds ?? QUEUES.dispatched.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(QUEUES.dispatched.retentionSeconds),
    MaximumMessageSize: size,
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetter.arn,
      maxReceiveCount: overrides.maxReceiveCount ?? QUEUES.dispatched.maxReceiveCount,
    }),
  });
  return { dispatched, deadLetter, finished: await finishing };
}

/** Queue URLs given explicitly (flags, environment, stack outputs) rather than looked up by name. */
export type QueueUrls = { dispatched?: string; deadLetter?: string; finished?: string };

/** The environment variables that name queues explicitly. */
export const QUEUE_URL_ENV = {
  dispatched: DISPATCHED_QUEUE_URL_ENV,
  deadLetter: 'FANOUT_DEAD_LETTER_QUEUE_URL',
  finished: FINISHED_QUEUE_URL_ENV,
} as const;

export function queueUrlsFromEnv(env: NodeJS.ProcessEnv = process.env): QueueUrls {
  return { dispatched: env[QUEUE_URL_ENV.dispatched] || undefined, deadLetter: env[QUEUE_URL_ENV.deadLetter] || undefined, finished: env[QUEUE_URL_ENV.finished] || undefined };
}

/**
 * Finds the queues: each by its given URL, else by its name. A clear error when one is missing.
 */
export async function findQueues(sqs: SQSClient, at: { where: string; connection: Connection }, urls: QueueUrls = {}): Promise<Queues> {
  const find = async (name: string, url: string | undefined): Promise<Queue> => {
    try {
      const found = url ?? onEndpoint((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!, endpointOf(at.connection));
      return { url: found, arn: await queueArn(sqs, found) };
    } catch (error) {
      throw explainSqsError(error, at, url ?? name);
    }
  };
  const [dispatched, deadLetter, finished] = await Promise.all([
    find(QUEUES.dispatched.name, urls.dispatched),
    find(QUEUES.deadLetter.name, urls.deadLetter),
    find(QUEUES.finished.name, urls.finished),
  ]);
  return { dispatched, deadLetter, finished };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new UsageError(`queue ${url} has no QueueArn attribute`);
  return arn;
}
