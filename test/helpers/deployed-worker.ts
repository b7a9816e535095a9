/**
 * The deployed worker run here: where LocalStack cannot run Lambda functions (host mode, no
 * Docker), the zip Lambda stores for the function — GetFunction's Code.Location, checked against
 * its CodeSha256 — is unpacked, its index.mjs imported, and its `handler` fed by fanout's own
 * event-source poller from the deployed queue, with the function's deployed environment and
 * timeout: the artifact AWS would run, not the sources.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GetFunctionCommand, GetEventSourceMappingCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createSqsClient } from '../../cli/endpoint/clients.js';
import { endpointConnection } from '../../cli/endpoint/connection.js';
import type { AccessKey } from '../../cli/endpoint/credentials.js';
import { EventSourcePoller } from '../../cli/workers/event-source-poller.js';
import type { SqsHandler } from '../../functions/worker.js';
import { unzip } from './zip.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type DeployedFunction = {
  handler: SqsHandler;
  /** The function's environment as Lambda holds it. */
  environment: Record<string, string>;
  timeoutMs: number;
  /** Base64 SHA-256 of the zip, as Lambda reports it (and as the downloaded zip hashes). */
  codeSha256: string;
  /** Where its index.mjs was unpacked. */
  path: string;
};

/**
 * Downloads and imports the function's deployed code. It is unpacked inside this repository, where
 * `@aws-sdk/*` resolves: the bundle leaves them out (the Lambda runtime provides them).
 */
export async function loadDeployedFunction(lambda: LambdaClient, functionName: string): Promise<DeployedFunction> {
  const { Code, Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: functionName }));
  if (!Code?.Location || !Configuration?.CodeSha256) throw new Error(`GetFunction ${functionName} gave no code location or hash`);
  const response = await fetch(Code.Location);
  if (!response.ok) throw new Error(`downloading ${functionName}'s code from ${Code.Location}: HTTP ${response.status}`);
  const zip = Buffer.from(await response.arrayBuffer());
  const codeSha256 = createHash('sha256').update(zip).digest('base64');
  if (codeSha256 !== Configuration.CodeSha256) throw new Error(`${functionName}'s code hashes to ${codeSha256}, Lambda says ${Configuration.CodeSha256}`);
  const [file, handlerName] = splitHandler(Configuration.Handler ?? '');
  const dir = join(root, 'node_modules', '.cache', 'fanout-deployed', Buffer.from(codeSha256, 'base64').toString('hex').slice(0, 16));
  await mkdir(dir, { recursive: true });
  for (const [name, content] of unzip(zip)) await writeFile(join(dir, name), content);
  const path = join(dir, `${file}.mjs`);
  const module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  if (typeof module[handlerName] !== 'function') throw new Error(`${path} exports no function ${handlerName} (Handler ${Configuration.Handler})`);
  return {
    handler: module[handlerName] as SqsHandler,
    environment: Configuration.Environment?.Variables ?? {},
    timeoutMs: (Configuration.Timeout ?? 3) * 1000,
    codeSha256,
    path,
  };
}

/** `index.handler` → ['index', 'handler']. */
function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`unexpected Handler ${JSON.stringify(handler)}`);
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

export type DeployedWorkerOptions = {
  endpoint: string;
  lambda: LambdaClient;
  functionName: string;
  /** The deployed event source mapping: its queue and batch size are what the poller uses. */
  eventSourceMappingId: string;
  dispatchedQueueUrl: string;
  /** The key the worker's requests are signed with (Lambda would use the function's role). */
  credentials: AccessKey;
  /** Pollers at once (Lambda scales them; two cores here). @default 4 */
  concurrency?: number;
};

export type DeployedWorker = { fn: DeployedFunction; poller: EventSourcePoller; stop(): Promise<void> };

/**
 * Starts the deployed handler behind an event-source poller. The process environment becomes the
 * function's (what a handler reads at its first invocation), pointed at the endpoint and signed
 * with `credentials`, until `stop()` restores it; the one other change is the log level, WARN, to
 * keep the test output short. One deployed worker at a time per process: the environment is shared
 * (and child processes started meanwhile inherit it).
 */
export async function startDeployedWorker(options: DeployedWorkerOptions): Promise<DeployedWorker> {
  const fn = await loadDeployedFunction(options.lambda, options.functionName);
  const mapping = await options.lambda.send(new GetEventSourceMappingCommand({ UUID: options.eventSourceMappingId }));
  const environment: Record<string, string> = {
    ...fn.environment,
    AWS_ENDPOINT_URL_SQS: options.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  const saved = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
  Object.assign(process.env, environment);
  const restore = () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  const sqs = createSqsClient(endpointConnection(options.endpoint, { credentials: options.credentials, region: 'us-east-1' }));
  const poller = new EventSourcePoller({
    sqs,
    queueUrl: options.dispatchedQueueUrl,
    queueArn: mapping.EventSourceArn!,
    handler: fn.handler,
    batchSize: mapping.BatchSize,
    concurrency: options.concurrency ?? 4,
    functionTimeoutMs: fn.timeoutMs,
    functionName: options.functionName,
    // As Lambda's pollers: no visibility heartbeat (the queue's visibility is 6 × the timeout).
    heartbeat: false,
    waitTimeSeconds: 1,
  });
  const errors: Error[] = [];
  poller.on('error', (error) => errors.push(error));
  await poller.start();
  return {
    fn,
    poller,
    async stop() {
      await poller.stop();
      sqs.destroy();
      restore();
      if (errors.length > 0) throw new AggregateError(errors, `the deployed worker's poller reported ${errors.length} error(s): ${errors[0]!.message}`);
    },
  };
}
