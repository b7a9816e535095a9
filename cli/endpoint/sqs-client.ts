/**
 * SQS clients for every part of fanout (dispatcher, local workers, collector): keep-alive
 * sockets in a pool sized for the concurrency we use, and an optional request counter.
 */
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './credentials.js';

/** Counts SQS requests by operation (SendMessageBatch, ReceiveMessage, …), retries included. */
export type RequestCounter = Map<string, number>;

export type SqsClientOptions = {
  /** A local endpoint (embedded server, LocalStack); undefined for AWS as configured by the environment. */
  endpoint?: string;
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

export function createSqsClient(options: SqsClientOptions = {}): SQSClient {
  const maxSockets = options.maxSockets ?? 64;
  const local = options.endpoint !== undefined;
  const client = new SQSClient({
    // On loopback the MD5 checks of message bodies guard nothing (no network between the ends) and
    // cost a hash of every body sent and received; against AWS they stay on. Nor does a local
    // endpoint check signatures: its requests go unsigned.
    ...(local && { endpoint: options.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, md5: false as const, httpAuthSchemes: UNSIGNED }),
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
