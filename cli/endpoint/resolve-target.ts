/**
 * Which SQS a command talks to. Chosen explicitly: `--target`, else FANOUT_TARGET, else what a
 * run recorded, else `local` (the runtime started by `fanout local`). Never AWS by accident:
 * reaching AWS always takes `--target aws`. Queues are found by their names, unless
 * FANOUT_DISPATCHED_QUEUE_URL / FANOUT_FINISHED_QUEUE_URL / FANOUT_DEAD_LETTER_QUEUE_URL name them.
 */
import { UsageError } from '../../functions/wire/errors.js';
import { DEFAULT_STACK_NAME } from '../../functions/wire/stack-outputs.js';
import { createSqsClient, type RequestCounter } from './clients.js';
import { AWS, endpointConnection, type Connection } from './connection.js';
import { LOCAL_REGION } from './credentials.js';
import { localStatePath, readLocalState, runningLocal } from './local-state.js';
import { findQueues, queueUrlsFromEnv } from './queues.js';
import { readStackOutputs, type StackOutputs } from './stack-outputs.js';
import { openTarget, type Target } from './target.js';

export type ResolveTargetOptions = {
  /** `local`, `aws` or an http(s) URL. @default - FANOUT_TARGET, else `local` */
  target?: string;
  counter?: RequestCounter;
  /** Find the queues through this stack's outputs. @default - FANOUT_STACK; with `aws`, else "Fanout" */
  stack?: string;
  /** A `cdk deploy --outputs-file` file to read the stack's outputs from. @default - ./cdk-outputs.json if it has the stack */
  outputsFile?: string;
  /** The fanout home whose `fanout local` (local.json) `local` means. @default - FANOUT_HOME, else ./.fanout */
  home?: string;
};

export function targetName(option?: string): string {
  return option || process.env.FANOUT_TARGET || 'local';
}

/**
 * The connection a target name stands for: `aws`, `local` (the running `fanout local`, with its
 * key) or a URL. A URL that is the running `fanout local`'s endpoint gets its key too (no other
 * key works there, and its region, us-east-1); any other URL is signed with the AWS SDK's credentials.
 */
export async function connectionFor(name: string, home?: string): Promise<Connection> {
  if (name === 'aws') return AWS;
  if (name === 'local') {
    const local = await readLocalState(localStatePath(home));
    return endpointConnection(local.endpoint, { credentials: local.credentials, region: LOCAL_REGION });
  }
  const url = parseEndpoint(name);
  const local = await runningLocal(localStatePath(home));
  if (local && new URL(local.endpoint).origin === url) return endpointConnection(url, { credentials: local.credentials, region: LOCAL_REGION });
  return endpointConnection(url);
}

export async function resolveTarget(options: ResolveTargetOptions = {}): Promise<Target> {
  const name = targetName(options.target);
  const connection = await connectionFor(name, options.home);
  const sqs = createSqsClient(connection, { counter: options.counter });
  try {
    let where = connection.kind === 'endpoint' ? connection.url : `AWS (${await sqs.config.region().catch(() => 'no region set')})`;
    // On AWS the queues come from the stack; elsewhere from a stack only when one is named.
    const stackName = options.stack || process.env.FANOUT_STACK || (name === 'aws' ? DEFAULT_STACK_NAME : undefined);
    const fromEnv = queueUrlsFromEnv();
    const everyQueueGiven = fromEnv.dispatched && fromEnv.finished && fromEnv.deadLetter;
    let stack: StackOutputs | undefined;
    if (stackName && !everyQueueGiven) {
      stack = await readStackOutputs({ stack: stackName, outputsFile: options.outputsFile, connection });
      where = `${where}, ${stack.source}`;
    }
    const urls = {
      dispatched: fromEnv.dispatched ?? stack?.dispatchedQueueUrl,
      finished: fromEnv.finished ?? stack?.finishedQueueUrl,
      deadLetter: fromEnv.deadLetter ?? stack?.deadLetterQueueUrl,
    };
    const queues = await findQueues(sqs, { where, connection }, urls);
    return openTarget({ name, connection, sqs, where, queues, stack });
  } catch (error) {
    sqs.destroy();
    throw error;
  }
}

export function parseEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--target must be local, aws or an http(s) URL (given ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--target must be local, aws or an http(s) URL (given ${JSON.stringify(value)})`);
  }
  return url.origin;
}
