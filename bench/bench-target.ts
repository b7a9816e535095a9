/**
 * Where the benchmark's queues live: a fresh embedded server in this process (`embedded`), or
 * fresh uniquely named queues on the LocalStack at LOCALSTACK_ENDPOINT (`localstack`), removed
 * afterwards. Queue set-up is not counted: the counter is attached once the queues exist.
 */
import { randomBytes } from 'node:crypto';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { UsageError } from '../functions/wire/errors.js';
import { startEmbeddedServer } from '../cli/local/embedded-server.js';
import { openEndpointTarget } from '../cli/endpoint/endpoint-target.js';
import type { Target } from '../cli/endpoint/target.js';
import type { AccessKey } from '../cli/endpoint/credentials.js';
import { countRequests, type RequestCounter } from '../cli/endpoint/clients.js';
import type { BenchTarget } from './options.js';

export type BenchQueues = {
  /** For dispatch and collect; its client counts into `requests`. */
  readonly target: Target;
  readonly requests: RequestCounter;
  close(): Promise<void>;
};

const REACH_TIMEOUT_MS = 3_000;

export async function openBenchTarget(name: BenchTarget): Promise<BenchQueues> {
  if (name === 'embedded') {
    const server = await startEmbeddedServer();
    try {
      return await onEndpoint(server.endpoint, undefined, () => server.close(), server.credentials);
    } catch (error) {
      await server.close();
      throw error;
    }
  }
  const endpoint = await localStackEndpoint();
  return onEndpoint(endpoint, `bench-${randomBytes(4).toString('hex')}`, async () => {});
}

async function onEndpoint(endpoint: string, nameSuffix: string | undefined, closeServer: () => Promise<void>, credentials?: AccessKey): Promise<BenchQueues> {
  const target = await openEndpointTarget(endpoint, { queues: { nameSuffix }, credentials });
  const { sqs, queues } = target;
  const requests: RequestCounter = new Map();
  countRequests(sqs, requests);
  return {
    target,
    requests,
    close: async () => {
      if (nameSuffix) {
        // Our own queues on a shared LocalStack: leave nothing behind (not counted: the counter
        // sees it, but the run's numbers were taken before).
        for (const queue of [queues.dispatched, queues.finished, queues.deadLetter]) {
          await sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url })).catch(() => {});
        }
      }
      sqs.destroy();
      await closeServer();
    },
  };
}

/** LOCALSTACK_ENDPOINT, once it answers; otherwise a one-line UsageError saying what to do. */
async function localStackEndpoint(): Promise<string> {
  const value = process.env.LOCALSTACK_ENDPOINT;
  if (!value) {
    throw new UsageError('--target localstack needs LOCALSTACK_ENDPOINT (start one with `npm run -s localstack -- start` and export the URL it prints)');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`LOCALSTACK_ENDPOINT must be an http(s) URL (given ${JSON.stringify(value)})`);
  }
  try {
    await fetch(new URL('/_localstack/health', url), { signal: AbortSignal.timeout(REACH_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new UsageError(`LocalStack at ${url.origin} (LOCALSTACK_ENDPOINT) is not reachable (${cause}): start it with \`bash scripts/localstack.sh start\``);
  }
  return url.origin;
}
