/**
 * Who may talk to the embedded server, and about what. fauxqs answers SQS, SNS, S3, STS and its
 * own inspection pages (every message of a queue) on one port, to anyone; on a shared machine
 * any local user could then inject jobs, read, delete or forge results. The guard lets through
 * only SQS requests (`POST /`, JSON protocol, `X-Amz-Target: AmazonSQS.*`) signed with the
 * server's access key (SigV4, verified), and answers everything else with 403 and an SQS-style
 * error the AWS SDKs turn into a one-line error (`InvalidClientTokenId: …`).
 */
import { Readable } from 'node:stream';
import type { buildApp } from 'fauxqs';
import type { AccessKey } from '../endpoint/credentials.js';
import { SigV4Verifier, type Refusal } from './sigv4.js';

type App = ReturnType<typeof buildApp>;
/** What the guard uses of Fastify's reply. */
type Reply = { code(status: number): Reply; header(name: string, value: string): Reply; send(payload: unknown): Reply };

/** Largest request body read: fauxqs's own limit. */
const MAX_BODY_BYTES = 11 * 1_048_576;

/** Installs the guard's hooks on a fauxqs app (before it listens). */
export function guardRequests(app: App, key: AccessKey): void {
  const verifier = new SigV4Verifier(key, 'sqs');

  // Every request, routed or not: only SQS's one route, before anything is parsed.
  app.addHook('onRequest', async (request, reply) => {
    const target = request.headers['x-amz-target'];
    const sqs =
      request.method === 'POST' &&
      request.url === '/' &&
      String(request.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.0') &&
      typeof target === 'string' &&
      target.startsWith('AmazonSQS.');
    if (!sqs) {
      return refuseWith(reply, { code: 'AccessDenied', status: 403, message: 'this fanout local serves SQS only (POST / with X-Amz-Target: AmazonSQS.*); S3, SNS and the inspection pages are off' });
    }
    if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      return refuseWith(reply, { code: 'RequestEntityTooLarge', status: 413, message: `the request body is larger than ${MAX_BODY_BYTES} bytes` });
    }
    return undefined;
  });

  // The body is part of the signature: read it whole, check, then hand fauxqs the same bytes.
  app.addHook('preParsing', async (request, reply, payload) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        await refuseWith(reply, { code: 'RequestEntityTooLarge', status: 413, message: `the request body is larger than ${MAX_BODY_BYTES} bytes` });
        return Readable.from([]);
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);
    const refusal = verifier.verify({ method: request.method, url: request.url, headers: request.headers, body });
    if (refusal) {
      await refuseWith(reply, refusal);
      return Readable.from([]);
    }
    const replay = Readable.from([body]) as Readable & { receivedEncodedLength?: number };
    replay.receivedEncodedLength = body.length;
    return replay;
  });
}

function refuseWith(reply: Reply, refusal: Refusal): Reply {
  return reply
    .code(refusal.status)
    .header('content-type', 'application/x-amz-json-1.0')
    .header('x-amzn-query-error', `${refusal.code};Sender`)
    .send({ __type: `com.amazonaws.sqs#${refusal.code}`, message: refusal.message });
}
