/**
 * The one factory for fanout's AWS SDK clients (SQS, CloudFormation, Lambda): the same
 * connection, region and credentials rules for each, and for SQS a keep-alive socket pool sized
 * for our concurrency and an optional request counter. CloudFormation and Lambda are loaded only
 * when asked for: a local run never needs them.
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { isLoopback, regionInUrl, type Connection } from './connection.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials.js';
import { ServiceError, UsageError } from '../../functions/wire/errors.js';
import { oneLine } from './aws-errors.js';

/** Counts SQS requests by operation (SendMessageBatch, ReceiveMessage, …), retries included. */
export type RequestCounter = Map<string, number>;

export type SqsClientOptions = {
  /** Sockets per client. @default 64 */
  maxSockets?: number;
  /** Where to count requests. @default - not counted */
  counter?: RequestCounter;
};

/**
 * Endpoint, region and credentials for a client of any service. The SDK asks for the region on
 * every request (several times): it is worked out once per client, since an unset region makes
 * the SDK's chain throw and read the config files each time it is asked.
 */
function base(connection: Connection) {
  if (connection.kind === 'aws') return {};
  const { url } = connection;
  let region: Promise<string> | undefined;
  return {
    endpoint: url,
    region: connection.region ?? (() => (region ??= (async () => regionInUrl(url) ?? (await sdkDefaults().region()) ?? LOCAL_REGION)())),
    credentials: connection.credentials ?? (() => sdkDefaults().credentials()),
    // Settings that only choose among AWS's own endpoints: fixed, so the SDK does not look them up per request.
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
  };
}

/**
 * The AWS SDK's own region and credential chains (environment, profile, SSO, container, instance
 * metadata), asked once per process through a client that sends nothing. With nothing
 * configured: no region, and placeholder credentials. A chain that finds something broken (an
 * expired SSO session, a missing profile) still fails, and says why.
 */
type Identity = Awaited<ReturnType<SQSClient['config']['credentials']>>;
let defaults: { region(): Promise<string | undefined>; credentials(): Promise<Identity> } | undefined;
function sdkDefaults(): NonNullable<typeof defaults> {
  if (defaults) return defaults;
  const probe = new SQSClient({});
  let region: Promise<string | undefined> | undefined;
  // Nothing configured is remembered: the chain would look through every source again on each request.
  let placeholders = false;
  return (defaults = {
    region: () => (region ??= probe.config.region().catch(() => undefined)),
    credentials: async () => {
      if (placeholders) return LOCAL_CREDENTIALS;
      try {
        return await probe.config.credentials();
      } catch (error) {
        if (!/Could not load credentials from any providers/.test((error as Error).message ?? '')) throw error;
        placeholders = true;
        return LOCAL_CREDENTIALS;
      }
    },
  });
}

/**
 * node:http and node:https as CommonJS modules: an ESM import of node:http builds its ESM facade,
 * whose getters load undici (fetch, WebSocket), 30 ms of every command's start.
 */
const http = () => process.getBuiltinModule('node:http') as typeof Http;
const https = () => process.getBuiltinModule('node:https') as typeof Https;

export function createSqsClient(connection: Connection, options: SqsClientOptions = {}): SQSClient {
  const maxSockets = options.maxSockets ?? 64;
  const { Agent } = http();
  const { Agent: HttpsAgent } = https();
  const client = new SQSClient({
    ...base(connection),
    // On loopback the MD5 checks of message bodies guard nothing (no network between the ends) and
    // cost a hash of every body sent and received; elsewhere they stay on.
    ...(connection.kind === 'endpoint' && isLoopback(connection.url) && { md5: false as const }),
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      // Long polls last up to 20 s; the socket must outlive them.
      requestTimeout: 30_000,
      connectionTimeout: 5_000,
    }),
  });
  if (options.counter) countRequests(client, options.counter);
  if (connection.kind === 'endpoint') explainForeignAnswers(client, connection.url);
  nativeMessageBodies(client);
  return client;
}

type SerializeRequest = (operation: { name?: string }, input: unknown, context: unknown) => Promise<{ body?: unknown }>;

/**
 * Sends are written with JSON.stringify. The SDK's JSON writer escapes every character of every
 * message body in JavaScript (the largest CPU cost of a send); for a send whose members are all
 * strings and numbers, JSON.stringify writes the same JSON, natively, about four times as fast.
 * Any other input (binary attributes, a member it does not know) takes the SDK's own path.
 */
function nativeMessageBodies(client: SQSClient): void {
  const protocol = client.config.protocol as unknown as { serializeRequest: SerializeRequest };
  const serialize = protocol.serializeRequest.bind(protocol);
  protocol.serializeRequest = async (operation, input, context) => {
    if ((operation.name !== 'SendMessageBatch' && operation.name !== 'SendMessage') || !isPlainSend(input)) return serialize(operation, input, context);
    // The request as the SDK builds it (endpoint, headers), around a body of ours.
    const request = await serialize(operation, { QueueUrl: (input as { QueueUrl: string }).QueueUrl }, context);
    // As bytes: the signer hashes them and the socket writes them, with no copy of the text for each.
    request.body = Buffer.from(JSON.stringify(input));
    return request;
  };
}

/** Members of SendMessage(Batch) JSON.stringify writes exactly as the SDK does: strings and numbers. */
const SEND_MEMBERS = new Set(['QueueUrl', 'MessageBody', 'DelaySeconds', 'MessageDeduplicationId', 'MessageGroupId', 'Id']);

function isPlainSend(input: unknown): boolean {
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  const plainMembers = (value: Record<string, unknown>, entries: boolean): boolean => {
    for (const key in value) {
      const member = value[key];
      if (member === undefined) continue;
      if (key === 'Entries' && entries) {
        if (!Array.isArray(member) || !member.every((entry) => isRecord(entry) && plainMembers(entry, false))) return false;
      } else if (key === 'MessageAttributes') {
        if (!isRecord(member) || !Object.values(member).every(isStringAttribute)) return false;
      } else if (!SEND_MEMBERS.has(key) || !(typeof member === 'string' || (typeof member === 'number' && Number.isFinite(member)))) {
        return false;
      }
    }
    return true;
  };
  const isStringAttribute = (value: unknown): boolean =>
    isRecord(value) && Object.keys(value).every((key) => (key === 'DataType' || key === 'StringValue') && (value[key] === undefined || typeof value[key] === 'string'));
  return isRecord(input) && Object.getPrototypeOf(input) === Object.prototype && plainMembers(input, true);
}

/**
 * An endpoint that is not SQS (a web server, a proxy's error page, an emulator routing the
 * request to another service) answers with HTML or XML, which the SDK fails to parse with a
 * two-line SyntaxError. Every call of this client says instead, in one line, what answered:
 * a UsageError (the URL is wrong), or for a 5xx page a ServiceError the SDK retries.
 */
function explainForeignAnswers(client: SQSClient, url: string): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const e = error as { name?: string; message?: string; $response?: { statusCode?: number; headers?: Record<string, string> }; $metadata?: object };
        if (e?.name !== 'SyntaxError' && !(error instanceof SyntaxError)) throw error;
        const status = e.$response?.statusCode;
        const type = e.$response?.headers?.['content-type'] ?? 'no content type';
        const operation = String(context.commandName ?? 'a request').replace(/Command$/, '');
        const parse = oneLine(e.message ?? '').replace(/\s*Deserialization error:.*$/, '').slice(0, 80);
        const what = `it answered ${operation} with HTTP ${status ?? '?'} (${type}), not SQS's JSON: ${parse}`;
        if (status !== undefined && status >= 500) {
          throw Object.assign(new ServiceError(`${url} failed: ${what}`, { cause: error }), { $metadata: e.$metadata });
        }
        throw new UsageError(`${url} is not an SQS endpoint: ${what}`, { cause: error });
      }
    },
    { step: 'deserialize', name: 'fanoutForeignAnswers', priority: 'high' },
  );
}

/** The CloudFormation client; its package is loaded on first use (only deployed stacks need it). */
export async function createCloudFormationClient(connection: Connection): Promise<CloudFormationClient> {
  const { CloudFormationClient } = await import('@aws-sdk/client-cloudformation');
  return new CloudFormationClient(base(connection));
}

/** The Lambda client; its package is loaded on first use (only a deployed worker needs it). */
export async function createLambdaClient(connection: Connection): Promise<LambdaClient> {
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  return new LambdaClient(base(connection));
}

/** Adds a middleware that counts each HTTP request the client makes, by operation. */
export function countRequests(client: SQSClient, counter: RequestCounter): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      counter.set(operation, (counter.get(operation) ?? 0) + 1);
      return next(args);
    },
    { step: 'finalizeRequest', name: 'fanoutRequestCounter', priority: 'low' },
  );
}
