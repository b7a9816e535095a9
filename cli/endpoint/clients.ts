/**
 * The one factory for fanout's AWS SDK clients (SQS, CloudFormation, Lambda): the same
 * connection, region and credentials rules for each, and for SQS a keep-alive socket pool sized
 * for our concurrency and an optional request counter.
 */
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Connection } from './connection.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials.js';

/** Counts SQS requests by operation (SendMessageBatch, ReceiveMessage, …), retries included. */
export type RequestCounter = Map<string, number>;

export type SqsClientOptions = {
  /** Sockets per client. @default 64 */
  maxSockets?: number;
  /** Where to count requests. @default - not counted */
  counter?: RequestCounter;
};

/**
 * SigV4 as the SDK names it, with a signer that leaves requests as they are: no SHA-256 of the
 * body, no HMAC chain, no canonical headers (~0.2 ms of CPU a request). For local endpoints only
 * (the embedded server, LocalStack), which accept any or no signature.
 */
const UNSIGNED: SQSClientConfig['httpAuthSchemes'] = [
  {
    schemeId: 'aws.auth#sigv4',
    identityProvider: (config) => config.getIdentityProvider('aws.auth#sigv4'),
    signer: { sign: async (request) => request },
  },
];

/** Endpoint, region and credentials for a client of any service. */
function base(connection: Connection) {
  return connection.kind === 'endpoint' ? { endpoint: connection.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS } : {};
}

export function createSqsClient(connection: Connection, options: SqsClientOptions = {}): SQSClient {
  const maxSockets = options.maxSockets ?? 64;
  const client = new SQSClient({
    ...base(connection),
    // On loopback the MD5 checks of message bodies guard nothing (no network between the ends) and
    // cost a hash of every body sent and received; against AWS they stay on. Nor does a local
    // endpoint check signatures: its requests go unsigned.
    ...(connection.kind === 'endpoint' && { md5: false as const, httpAuthSchemes: UNSIGNED }),
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      // Long polls last up to 20 s; the socket must outlive them.
      requestTimeout: 30_000,
      connectionTimeout: 5_000,
    }),
  });
  if (options.counter) countRequests(client, options.counter);
  return client;
}

export function createCloudFormationClient(connection: Connection): CloudFormationClient {
  return new CloudFormationClient(base(connection));
}

export function createLambdaClient(connection: Connection): LambdaClient {
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
