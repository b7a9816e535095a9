/**
 * SQS clients for every part of fanout (dispatcher, local workers, collector): keep-alive
 * sockets in a pool sized for the concurrency we use, and an optional request counter.
 */
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { SQSClient } from '@aws-sdk/client-sqs';
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

export function createSqsClient(options: SqsClientOptions = {}): SQSClient {
  const maxSockets = options.maxSockets ?? 64;
  const local = options.endpoint !== undefined;
  const client = new SQSClient({
    ...(local && { endpoint: options.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
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
