/**
 * The embedded server's HTTP side: fauxqs's SQS actions on its store, behind a plain node:http
 * server that answers SQS's JSON protocol and nothing else. Every request is checked by the
 * guard (request-guard.ts) and its SigV4 signature verified over the body as received, before
 * the body is parsed.
 *
 * Why not fauxqs's own app (Fastify, with SNS, S3 and inspection routes): for one route its
 * request pipeline (hooks, content-type parsers, a replayed body stream, reply serialisers) cost
 * more CPU per request than the SQS action itself, and loading it took a fifth of `npm start`.
 */
import { randomUUID } from 'node:crypto';
import type * as Http from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AccessKey } from '../endpoint/credentials.js';
import type { SqsAction, SqsStore } from './fauxqs-stores.js';
import { MAX_BODY_BYTES, refusalBeforeBody, SQS_TARGET_PREFIX, tooLarge } from './request-guard.js';
import { SigV4Verifier, type Refusal } from './sigv4.js';

export type SqsServerOptions = {
  store: SqsStore;
  actions: ReadonlyMap<string, SqsAction>;
  /** The class of the errors fauxqs's actions throw: an SQS error for the client. */
  SqsError: abstract new (...args: never[]) => Error & { statusCode: number; queryErrorHeader: string; toJSON(): object };
  /** The key every request must be signed with. */
  key: AccessKey;
};

/** Keep-alive sockets outlive the SDK's idle ones (Fastify's default), so a reused socket is never closed under a request. */
const KEEP_ALIVE_MS = 72_000;

export function createSqsServer(options: SqsServerOptions): Server {
  const verifier = new SigV4Verifier(options.key, 'sqs');
  // As a CommonJS module: node:http's ESM facade would load undici (see clients.ts).
  const { createServer } = process.getBuiltinModule('node:http') as typeof Http;
  const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS }, (request, response) => {
    const refusal = refusalBeforeBody(request.method, request.url, request.headers);
    if (refusal) {
      // Not read: the connection goes with the answer.
      response.shouldKeepAlive = false;
      request.resume();
      return refuse(response, refusal);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        response.shouldKeepAlive = false;
        return refuse(response, tooLarge());
      }
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      // Whatever goes wrong answering one request is that request's 500, never the server's end.
      answer(options, verifier, request, body, response).catch((error: unknown) =>
        refuse(response, { code: 'InternalError', status: 500, message: (error as Error)?.message ?? String(error) }, 'Receiver'),
      );
    });
    request.on('error', () => response.destroy());
  });
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  return server;
}

async function answer(options: SqsServerOptions, verifier: SigV4Verifier, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
  const refusal = verifier.verify({ method: request.method!, url: request.url!, headers: request.headers, body });
  if (refusal) return refuse(response, refusal);
  const name = (request.headers['x-amz-target'] as string).slice(SQS_TARGET_PREFIX.length);
  const action = options.actions.get(name);
  if (!action) return refuse(response, { code: 'InvalidAction', status: 400, message: `Unknown action: ${name}` });
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return refuse(response, { code: 'SerializationException', status: 400, message: `the request body is not JSON: ${(error as Error).message}` });
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return refuse(response, { code: 'SerializationException', status: 400, message: 'the request body is not a JSON object' });
  }
  let output: unknown;
  try {
    output = await action(input, options.store, { headers: request.headers });
  } catch (error) {
    if (error instanceof options.SqsError) return send(response, error.statusCode, JSON.stringify(error.toJSON()), error.queryErrorHeader);
    return refuse(response, { code: 'InternalError', status: 500, message: (error as Error)?.message ?? String(error) }, 'Receiver');
  }
  send(response, 200, JSON.stringify(output ?? {}));
}

/** An SQS-style error: `__type` and `message` in the body, the code in x-amzn-query-error, as SQS answers. */
function refuse(response: ServerResponse, refusal: Refusal, fault: 'Sender' | 'Receiver' = 'Sender'): void {
  send(response, refusal.status, JSON.stringify({ __type: `com.amazonaws.sqs#${refusal.code}`, message: refusal.message }), `${refusal.code};${fault}`);
}

function send(response: ServerResponse, status: number, json: string, queryError?: string): void {
  // A client gone (a long poll it dropped, a server closing): nothing to answer.
  if (response.destroyed || response.writableEnded) return;
  const headers: Record<string, string | number> = {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
  };
  if (queryError) headers['x-amzn-query-error'] = queryError;
  response.writeHead(status, headers).end(json);
}
