/**
 * Who may talk to the embedded server: SQS requests signed with its key, and nothing else.
 * Another local user has the port but not the key (local.json is mode 0600).
 */
import { once } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION } from '../../cli/endpoint/credentials.js';
import { startLocalRuntime, type LocalRuntime } from '../../cli/local/local-runtime.js';
import { EXIT } from '../../cli/output/exit-codes.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { eventually } from '../helpers/queue-peek.js';
import { scratchDir } from '../helpers/scratch.js';

/** A raw HTTP request: what any process on this machine can send to the port. */
function send(endpoint: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request(new URL(options.path ?? '/', endpoint), { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the embedded server\'s credentials', () => {
  let runtime: LocalRuntime;
  beforeAll(async () => {
    runtime = await startLocalRuntime({ workers: false });
  });
  afterAll(async () => {
    await runtime.stop();
  });

  const sqs = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new SQSClient({ endpoint: runtime.endpoint, region: LOCAL_REGION, credentials, maxAttempts: 1 });

  it('answers SQS requests signed with its key (any AWS SDK, the key given as usual)', async () => {
    // Act
    const { QueueUrls } = await sqs(runtime.credentials).send(new ListQueuesCommand({}));
    // Assess
    expect(QueueUrls?.length).toBe(3);
  });

  it.each([
    ['another key', { accessKeyId: 'AKIAOTHERUSER0000000', secretAccessKey: 'guess' }, 'InvalidClientTokenId'],
    ['its key id with another secret', undefined, 'SignatureDoesNotMatch'],
  ])('refuses a request signed with %s, in one line the SDK reads', async (_, key, name) => {
    // Prepare
    const credentials = key ?? { accessKeyId: runtime.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    // Act
    const error = await sqs(credentials).send(new SendMessageCommand({ QueueUrl: runtime.target.queues.finished.url, MessageBody: 'forged result' })).catch((e: Error) => e);
    // Assess
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: 403 } });
    expect((error as Error).message).not.toContain('\n');
  });

  /** A request as the SDK signs it with the key, captured instead of sent. */
  async function signedByTheSdk(): Promise<{ headers: Record<string, string>; body: string }> {
    const client = sqs(runtime.credentials);
    let captured: { headers: Record<string, string>; body: string } | undefined;
    client.middlewareStack.addRelativeTo(
      () => async (args: { request: unknown }) => {
        const { headers, body } = args.request as { headers: Record<string, string>; body: string | Uint8Array };
        captured = { headers, body: typeof body === 'string' ? body : new TextDecoder().decode(body) };
        throw new Error('captured');
      },
      { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'capture' },
    );
    await client.send(new SendMessageCommand({ QueueUrl: runtime.target.queues.dispatched.url, MessageBody: 'a job' })).catch(() => {});
    return captured!;
  }

  it('refuses an unsigned request, and a signed one whose body was changed on the way', async () => {
    // Prepare: a SendMessage signed with the key; the same without its signature; its body swapped.
    const signed = await signedByTheSdk();
    const { authorization: _, ...unsignedHeaders } = signed.headers;
    // Act
    const unsigned = await send(runtime.endpoint, { method: 'POST', headers: unsignedHeaders, body: signed.body });
    const tampered = await send(runtime.endpoint, { method: 'POST', headers: signed.headers, body: signed.body.replace('a job', 'evil!') });
    const genuine = await send(runtime.endpoint, { method: 'POST', headers: signed.headers, body: signed.body });
    // Assess
    expect(unsigned.status).toBe(403);
    expect(JSON.parse(unsigned.body)).toMatchObject({ __type: 'com.amazonaws.sqs#MissingAuthenticationToken' });
    expect(tampered.status).toBe(403);
    expect(JSON.parse(tampered.body)).toMatchObject({ __type: 'com.amazonaws.sqs#SignatureDoesNotMatch' });
    expect(genuine.status).toBe(200);
  });

  it.each([
    ['S3 (ListBuckets)', { method: 'GET', path: '/' }],
    ['S3 (PutObject)', { method: 'PUT', path: '/bucket/key', body: 'data' }],
    ['SNS (ListTopics)', { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListTopics' }],
    ['STS (GetCallerIdentity)', { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity' }],
    ['fauxqs\'s inspection page (every message of a queue)', { method: 'GET', path: '/_fauxqs/queues/fanout-finished' }],
    ['the health page', { method: 'GET', path: '/health' }],
  ])('refuses %s on its port', async (_, options) => {
    // Act
    const response = await send(runtime.endpoint, options);
    // Assess
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ __type: 'com.amazonaws.sqs#AccessDenied' });
  });
});

describe('fanout local\'s key', () => {
  it('is written to local.json for this user alone, and fanout commands use it', async () => {
    // Prepare
    const home = await scratchDir('local-key-');
    const env = { FANOUT_HOME: home, FANOUT_TARGET: '' };
    const local = spawnCli(['local', '--port', '0', '--workers', '0', '--memory'], env);
    try {
      await eventually(() => stat(join(home, 'local.json')).then(() => true, () => false), 30_000, 50);
      // Act
      const mode = (await stat(join(home, 'local.json'))).mode & 0o777;
      const dispatched = await runCli(['dispatch', '--count', '2'], env);
      const { endpoint } = JSON.parse(await readFile(join(home, 'local.json'), 'utf8')) as { endpoint: string };
      const byUrl = await runCli(['status', '--target', endpoint, '--json'], env);
      const withoutKey = await runCli(['status', '--target', endpoint], { ...env, FANOUT_HOME: await scratchDir('elsewhere-'), AWS_ACCESS_KEY_ID: 'AKIAOTHERUSER0000000', AWS_SECRET_ACCESS_KEY: 'guess' });
      // Assess
      expect(mode).toBe(0o600);
      expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
      expect(byUrl.code, byUrl.stderr).toBe(EXIT.ok);
      expect(withoutKey.code).toBe(EXIT.usage);
      expect(withoutKey.stderr).toMatch(/^fanout: SQS at http:\/\/127\.0\.0\.1:\d+ denied access: InvalidClientTokenId: .+\n$/);
    } finally {
      local.kill('SIGINT');
      await once(local, 'exit');
    }
  });
});
