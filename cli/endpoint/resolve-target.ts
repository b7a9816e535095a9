/**
 * Which SQS a command talks to. Chosen explicitly: `--target`, else FANOUT_TARGET, else what a
 * run's manifest recorded, else `local` (the runtime started by `fanout local`). Never AWS by
 * accident: reaching AWS always takes `--target aws`. Queues are found by their names, unless
 * FANOUT_DISPATCHED_QUEUE_URL / FANOUT_FINISHED_QUEUE_URL / FANOUT_DEAD_LETTER_QUEUE_URL name them.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DEFAULT_STACK_NAME } from '../../functions/wire/stack-outputs.js';
import { ConfigError } from '../../functions/wire/errors.js';
import { readLocalState } from './local-state.js';
import { findQueues, queueUrlsFromEnv, type Queues } from './queues.js';
import { createSqsClient, type RequestCounter } from './sqs-client.js';
import { readStackOutputs, type StackOutputs } from './stack-outputs.js';

export type Target = {
  /** As the user named it: `local`, `aws`, or an endpoint URL. */
  readonly name: string;
  /** The SQS endpoint, or undefined for AWS as configured by the environment. */
  readonly endpoint: string | undefined;
  readonly sqs: SQSClient;
  readonly queues: Queues;
  /** Human-readable: where requests go. */
  readonly where: string;
  /** The deployed stack's outputs, when the queues came from a stack. */
  readonly stack?: StackOutputs;
};

export type ResolveTargetOptions = {
  /** `local`, `aws` or an http(s) URL. @default - FANOUT_TARGET, else `local` */
  target?: string;
  counter?: RequestCounter;
  /** Find the queues through this stack's outputs. @default - FANOUT_STACK; with `aws`, else "Fanout" */
  stack?: string;
  /** A `cdk deploy --outputs-file` file to read the stack's outputs from. @default - ./cdk-outputs.json if it has the stack */
  outputsFile?: string;
};

export function targetName(option?: string): string {
  return option || process.env.FANOUT_TARGET || 'local';
}

export async function resolveTarget(options: ResolveTargetOptions = {}): Promise<Target> {
  const name = targetName(options.target);
  const endpoint = name === 'aws' ? undefined : name === 'local' ? (await readLocalState()).endpoint : parseEndpoint(name);
  const sqs = createSqsClient({ endpoint, counter: options.counter });
  let where = endpoint ?? `AWS (${await sqs.config.region().catch(() => 'no region set')})`;

  // On AWS the queues come from the stack; elsewhere from a stack only when one is named.
  const stackName = options.stack || process.env.FANOUT_STACK || (name === 'aws' ? DEFAULT_STACK_NAME : undefined);
  const fromEnv = queueUrlsFromEnv();
  const everyQueueGiven = fromEnv.dispatched && fromEnv.finished && fromEnv.deadLetter;
  let stack: StackOutputs | undefined;
  if (stackName && !everyQueueGiven) {
    stack = await readStackOutputs({ stack: stackName, outputsFile: options.outputsFile, endpoint });
    where = `${where}, ${stack.source}`;
  }
  const urls = {
    dispatched: fromEnv.dispatched ?? stack?.dispatchedQueueUrl,
    finished: fromEnv.finished ?? stack?.finishedQueueUrl,
    deadLetter: fromEnv.deadLetter ?? stack?.deadLetterQueueUrl,
  };
  const queues = await findQueues(sqs, where, urls, endpoint);
  return { name, endpoint, sqs, where, queues, ...(stack && { stack }) };
}

export function parseEndpoint(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`--target must be local, aws or an http(s) URL (given ${JSON.stringify(value)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`--target must be local, aws or an http(s) URL (given ${JSON.stringify(value)})`);
  }
  return url.origin;
}
