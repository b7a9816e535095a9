/**
 * The embedded server's HTTP side (sqs-server.ts, sigv4.ts) against odd and hostile requests: each
 * is answered with an SQS-style error (`__type`, one line), and the server keeps answering.
 */
import { connect } from 'node:net';
import { request } from 'node:http';
import { GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION } from '../../cli/endpoint/credentials.js';
import { startEmbeddedServer, type EmbeddedServer } from '../../cli/local/embedded-server.js';

type Answer = { status: number; body: string };

function send(endpoint: string, headers: Record<string, string>, body: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/', endpoint), { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error('no answer in 5 s')));
    req.end(body);
  });
}

/** The SQS error name in an answer. */
const errorName = (answer: Answer) => (JSON.parse(answer.body) as { __type: string }).__type.replace('com.amazonaws.sqs#', '');

describe('the embedded server, asked oddly', () => {
  let server: EmbeddedServer;
  let signedHeaders: () => Record<string, string>;
  beforeAll(async () => {
    server = await startEmbeddedServer();
    const now = () => new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
    signedHeaders = () => ({ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues', 'x-amz-date': now() });
  });
  afterAll(async () => {
    await server.close();
  });

  const client = () => new SQSClient({ endpoint: server.endpoint, region: LOCAL_REGION, credentials: server.credentials, maxAttempts: 1 });

  /** Sends `body` as action `target`, signed with the server's key by the SDK (the body and target swapped in before signing). */
  async function signed(target: string, body: string): Promise<Answer> {
    const sqs = client();
    let captured: { headers: Record<string, string>; body: string } | undefined;
    sqs.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { headers: Record<string, string>; body: unknown };
        req.headers['x-amz-target'] = `AmazonSQS.${target}`;
        req.body = body;
        req.headers['content-length'] = String(Buffer.byteLength(body));
        return next(args);
      },
      { step: 'build', name: 'swap', priority: 'low' },
    );
    sqs.middlewareStack.addRelativeTo(
      () => async (args: { request: unknown }) => {
        const req = args.request as { headers: Record<string, string>; body: string };
        captured = { headers: req.headers, body: req.body };
        throw new Error('captured');
      },
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'capture' },
    );
    const sent = await sqs.send(new ListQueuesCommand({})).catch((e: Error) => e);
    if (!captured) throw sent;
    return send(server.endpoint, captured.headers, captured.body);
  }

  const stillAnswers = async () => expect((await client().send(new ListQueuesCommand({}))).$metadata.httpStatusCode).toBe(200);

  it.each(['constructor', '__proto__', 'host;constructor', 'content-type;__proto__;host'])(
    'refuses a signature whose SignedHeaders name %s (a key of every object), and keeps answering',
    async (names) => {
      // Arrange: the server's key id, a well-formed Authorization header, a bogus signature
      const day = signedHeaders()['x-amz-date']!.slice(0, 8);
      const authorization = `AWS4-HMAC-SHA256 Credential=${server.credentials.accessKeyId}/${day}/${LOCAL_REGION}/sqs/aws4_request, SignedHeaders=${names.includes('host') ? names : `host;${names}`}, Signature=${'0'.repeat(64)}`;
      // Act
      const answer = await send(server.endpoint, { ...signedHeaders(), authorization }, '{}');
      // Assess
      expect(answer.status).toBe(403);
      expect(errorName(answer)).toBe('SignatureDoesNotMatch');
      await stillAnswers();
    },
  );

  it.each([
    ['a body that is not JSON', 'ListQueues', '{"QueueNamePrefix":', 400, 'SerializationException'],
    ['an unknown action', 'StealEverything', '{}', 400, 'InvalidAction'],
    ['a queue that does not exist', 'GetQueueUrl', '{"QueueName":"nope"}', 400, 'QueueDoesNotExist'],
  ])('answers %s, signed, with an SQS error', async (_, target, body, status, name) => {
    // Act
    const answer = await signed(target, body);
    // Assess
    expect(answer.status).toBe(status);
    expect(errorName(answer)).toBe(name);
    await stillAnswers();
  });

  it.each(['null', '[]', '7', '"x"'])('refuses a signed body of %s, which is JSON but not an object, as SQS does (400)', async (body) => {
    // Act
    const answer = await signed('GetQueueUrl', body);
    // Assess
    expect([answer.status, errorName(answer)]).toEqual([400, 'SerializationException']);
    await stillAnswers();
  });

  it.each(['null', '[]', '7', '"x"', '{"QueueUrl":{}}', '{"__proto__":{"QueueName":"x"}}'])('answers a signed body of %s without crashing', async (body) => {
    // Act
    const answer = await signed('GetQueueUrl', body);
    // Assess
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(errorName(answer)).toMatch(/^\w+$/);
    await stillAnswers();
  });

  it('refuses a body past 11 MiB, signed or not, declared or streamed', async () => {
    // Act
    const declared = await send(server.endpoint, { ...signedHeaders(), 'content-length': String(12 * 1_048_576) }, Buffer.alloc(0)).catch((e: Error) => e);
    const streamed = await new Promise<Answer>((resolve, reject) => {
      const req = request(new URL('/', server.endpoint), { method: 'POST', headers: { ...signedHeaders(), 'transfer-encoding': 'chunked' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 12; i++) req.write(Buffer.alloc(1_048_576, 0x20));
      req.end();
    });
    // Assess
    if (!(declared instanceof Error)) expect(errorName(declared)).toBe('RequestEntityTooLarge');
    expect(streamed.status).toBe(413);
    expect(errorName(streamed)).toBe('RequestEntityTooLarge');
    await stillAnswers();
  });

  it('keeps answering while a client sends half a request and waits', async () => {
    // Arrange: headers of an SQS request, and not all of its body
    const socket = connect(Number(new URL(server.endpoint).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.0\r\nx-amz-target: AmazonSQS.ListQueues\r\ncontent-length: 100\r\n\r\n{"Queue`);
    try {
      // Act / Assess
      await stillAnswers();
      const missing = await client().send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((e: Error) => e);
      expect(missing).toMatchObject({ name: 'QueueDoesNotExist' });
    } finally {
      socket.destroy();
    }
  });

  it('listens on 127.0.0.1 only', () => {
    expect(new URL(server.endpoint).hostname).toBe('127.0.0.1');
  });
});
