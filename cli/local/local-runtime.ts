/**
 * The whole fan-out on this machine: the embedded SQS server, the three queues as the stack
 * defines them, and local workers running the Lambda handler.
 */
import type { EventSourcePoller } from '../workers/event-source-poller.js';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import type { RequestCounter } from '../endpoint/clients.js';
import { openEndpointTarget } from '../endpoint/endpoint-target.js';
import type { LocalQueueOverrides } from '../endpoint/queues.js';
import type { Target } from '../endpoint/target.js';
import { startWorkers, type WorkerPoolOptions } from '../workers/start-workers.js';

export type LocalRuntimeOptions = {
  /** Port on 127.0.0.1. @default 0 - any free port */
  port?: number;
  /** Local workers; `false` for a server with queues only. @default - two pollers, batches of ten */
  workers?: Omit<WorkerPoolOptions, 'target'> | false;
  queues?: LocalQueueOverrides;
  counter?: RequestCounter;
};

export type LocalRuntime = {
  readonly endpoint: string;
  /** A target for dispatch and collect on this runtime. */
  readonly target: Target;
  readonly workers: EventSourcePoller | undefined;
  /** Stops the workers (letting running batches finish), then the server. Idempotent. */
  stop(): Promise<void>;
};

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const server: EmbeddedServer = await startEmbeddedServer({ port: options.port });
  try {
    const target = await openEndpointTarget(server.endpoint, { queues: options.queues, counter: options.counter });
    const workers = options.workers === false ? undefined : await startWorkers({ ...options.workers, target });
    let stopping: Promise<void> | undefined;
    return {
      endpoint: server.endpoint,
      target,
      workers,
      stop: () =>
        (stopping ??= (async () => {
          // The server and its queues go away with us: no need to let long polls run out.
          await workers?.stop({ abort: true });
          target.close();
          await server.close();
        })()),
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
