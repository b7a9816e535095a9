/**
 * Which SQS a command talks to. Chosen explicitly: `--target`, else FANOUT_TARGET, else what a
 * run's manifest recorded, else `local` (the runtime started by `fanout local`). Never AWS by
 * accident: reaching AWS always takes `--target aws`. Queues are found by their names, unless
 * FANOUT_DISPATCHED_QUEUE_URL / FANOUT_FINISHED_QUEUE_URL / FANOUT_DEAD_LETTER_QUEUE_URL name them.
 */
import { readFile } from 'node:fs/promises';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '../../functions/errors.js';
import { localStatePath } from '../paths.js';
import { findQueues, queueUrlsFromEnv, type Queues } from './queues.js';
import { createSqsClient, type RequestCounter } from './sqs-client.js';

export type Target = {
  /** As the user named it: `local`, `aws`, or an endpoint URL. */
  readonly name: string;
  /** The SQS endpoint, or undefined for AWS as configured by the environment. */
  readonly endpoint: string | undefined;
  readonly sqs: SQSClient;
  readonly queues: Queues;
  /** Human-readable: where requests go. */
  readonly where: string;
};

export type ResolveTargetOptions = {
  /** `local`, `aws` or an http(s) URL. @default - FANOUT_TARGET, else `local` */
  target?: string;
  counter?: RequestCounter;
};

/** What `fanout local` writes so other terminals can reach it. */
export type LocalState = { endpoint: string; pid: number; startedAt: string };

export function targetName(option?: string): string {
  return option || process.env.FANOUT_TARGET || 'local';
}

export async function resolveTarget(options: ResolveTargetOptions = {}): Promise<Target> {
  const name = targetName(options.target);
  if (name === 'aws') {
    const sqs = createSqsClient({ counter: options.counter });
    const where = `AWS (${await sqs.config.region().catch(() => 'no region')})`;
    return { name, endpoint: undefined, sqs, where, queues: await findQueues(sqs, where, queueUrlsFromEnv()) };
  }
  const endpoint = name === 'local' ? (await readLocalState()).endpoint : parseEndpoint(name);
  const sqs = createSqsClient({ endpoint, counter: options.counter });
  return { name, endpoint, sqs, where: endpoint, queues: await findQueues(sqs, endpoint, queueUrlsFromEnv()) };
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

export async function readLocalState(path = localStatePath()): Promise<LocalState> {
  let state: LocalState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as LocalState;
  } catch {
    throw new ConfigError('no local fanout is running here: start `npx fanout local` in another terminal, or pass --target aws|URL');
  }
  if (!isAlive(state.pid)) {
    throw new ConfigError(`the local fanout recorded in ${path} (pid ${state.pid}) is gone: start \`npx fanout local\` again`);
  }
  return state;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
