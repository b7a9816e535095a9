/**
 * The artifact AWS runs: the stack's NodejsFunction bundle (esbuild, as `cdk deploy` builds it),
 * loaded and invoked with an SQS event, configured only through the environment Lambda gives it,
 * sending its results over HTTP to a real SQS endpoint.
 */
import { copyFile, mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FanoutProps } from '../../cdk/fanout.js';
import { FanoutStack } from '../../cdk/stack.js';
import { lambdaContext } from '../../cli/workers/sqs-event.js';
import { DISPATCHED_QUEUE_URL_ENV, FINISHED_QUEUE_URL_ENV } from '../../functions/wire/constants.js';
import { parseResultMessage } from '../../functions/wire/contract.js';
import type { SqsHandler } from '../../functions/worker.js';
import { useBackend } from '../helpers/backends.js';
import { jobBody, jobs, sqsRecord } from '../helpers/factories.js';
import { drain } from '../helpers/queue-peek.js';
import { cdkJsonContext } from '../unit/cdk/helpers.js';

/** Synthesizes the stack with bundling on and returns the worker's index.mjs, placed where `@aws-sdk/*` resolves. */
async function bundleWorker(fanout?: FanoutProps): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'fanout-synth-'));
  const app = new App({ outdir, context: cdkJsonContext(), builtinCloudFormationValidation: false });
  new FanoutStack(app, 'Fanout', { fanout });
  app.synth();
  const assets = (await readdir(outdir)).filter((name) => name.startsWith('asset.'));
  expect(assets).toHaveLength(1);
  // The SDK is external (the Lambda runtime provides it): load the bundle from inside this package.
  const dir = join(process.cwd(), 'node_modules', '.cache', 'fanout-bundle-test', assets[0]!);
  await mkdir(dir, { recursive: true });
  await copyFile(join(outdir, assets[0]!, 'index.mjs'), join(dir, 'index.mjs'));
  return join(dir, 'index.mjs');
}

describe('the bundled Lambda worker', () => {
  const backend = useBackend('embedded');
  let handler: SqsHandler;
  const saved = { ...process.env };

  beforeAll(async () => {
    ({ handler } = (await import(pathToFileURL(await bundleWorker()).href)) as { handler: SqsHandler });
  }, 120_000);
  afterAll(() => {
    process.env = saved;
  });

  it('computes the jobs of an SQS event and sends the results, configured by environment only', async () => {
    // Prepare: what Lambda's environment would hold, pointed at the endpoint.
    const target = await backend.target();
    Object.assign(process.env, {
      [FINISHED_QUEUE_URL_ENV]: target.queues.finished.url,
      [DISPATCHED_QUEUE_URL_ENV]: target.queues.dispatched.url,
      AWS_ENDPOINT_URL_SQS: backend.endpoint,
      AWS_REGION: 'us-east-1',
      // The embedded server's key: it refuses any other.
      ...backend.cliEnv,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const records = [sqsRecord(jobBody('r-b', 'square', jobs([7, 8]))), sqsRecord('not json')];
    // Act
    const response = await handler({ Records: records }, lambdaContext({ functionName: 'worker', region: 'us-east-1', timeoutMs: 60_000 }));
    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]!.messageId }] });
    const results = (await drain(target.sqs, target.queues.finished.url)).flatMap((m) => parseResultMessage(m.Body!).results);
    expect(results.map((r) => [r.id, r.ok && r.output])).toEqual([[0, 49], [1, 64]]);
  });
});

describe('the bundled Lambda worker with a tasks module (FanoutProps.tasks)', () => {
  const backend = useBackend('embedded');
  let bundle: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    bundle = await bundleWorker({ tasks: 'test/fixtures/project/tasks.ts' });
  }, 120_000);
  afterAll(() => {
    process.env = saved;
  });

  it("runs the module's tasks, checking inputs and outputs against their schemas", async () => {
    // Prepare
    const { handler } = (await import(pathToFileURL(bundle).href)) as { handler: SqsHandler };
    const target = await backend.target();
    Object.assign(process.env, {
      [FINISHED_QUEUE_URL_ENV]: target.queues.finished.url,
      [DISPATCHED_QUEUE_URL_ENV]: target.queues.dispatched.url,
      AWS_ENDPOINT_URL_SQS: backend.endpoint,
      AWS_REGION: 'us-east-1',
      // The embedded server's key: it refuses any other.
      ...backend.cliEnv,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const records = [
      sqsRecord(jobBody('r-t', 'word-count', jobs([{ text: 'three little words' }, { text: 3 }]))),
      sqsRecord(jobBody('r-t', 'square', jobs([2]))),
    ];
    // Act
    const response = await handler({ Records: records }, lambdaContext({ functionName: 'worker', region: 'us-east-1', timeoutMs: 60_000 }));
    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    const results = (await drain(target.sqs, target.queues.finished.url)).flatMap((m) => parseResultMessage(m.Body!).results);
    expect(results.map((r) => [r.id, r.ok ? r.output : r.error.name]).sort()).toEqual([[0, 'UnknownTaskError'], [0, { words: 3 }], [1, 'InputError']]);
  });

  it('holds the handler and the tasks, not the master, the CLI, fauxqs or the CloudFormation and Lambda clients', async () => {
    // Act
    const code = await readFile(bundle, 'utf8');
    // Assess
    expect(code).toContain('"word-count"');
    for (const absent of ['fauxqs', 'CloudFormationClient', 'UpdateEventSourceMapping', 'commander', 'node:sqlite', 'cli-progress']) expect(code, absent).not.toContain(absent);
    expect(code.length).toBeLessThan(600_000);
  });
});
