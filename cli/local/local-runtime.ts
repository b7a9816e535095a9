/**
 * The whole fan-out on this machine: the embedded SQS server, the three queues as the stack
 * defines them, and local workers running the Lambda handler.
 *
 * Workers run in this process (pollers: fastest to start, what `fanout run --local` and
 * `npm start` use) or in child processes (`workers.processes`: what `fanout local` uses). In this
 * process a CPU-bound job blocks the server too, and a job that overruns the function timeout
 * cannot be stopped; child processes keep the server answering and are killed on an overrun, as
 * Lambda does.
 */
import { QUEUES } from '../../functions/wire/constants.js';
import { UsageError } from '../../functions/wire/errors.js';
import type { EventSourcePoller } from '../workers/event-source-poller.js';
import { startEmbeddedServer, type EmbeddedServer } from './embedded-server.js';
import type { RequestCounter } from '../endpoint/clients.js';
import type { AccessKey } from '../endpoint/credentials.js';
import { openEndpointTarget } from '../endpoint/endpoint-target.js';
import type { LocalQueueOverrides } from '../endpoint/queues.js';
import type { Target } from '../endpoint/target.js';
import { startWorkers, type WorkerPoolOptions } from '../workers/start-workers.js';
import { WorkerProcesses } from '../workers/worker-processes.js';

export type LocalWorkersOptions = Omit<WorkerPoolOptions, 'target'> & {
  /**
   * Worker child processes, each running `concurrency` pollers; 0 runs the pollers in this
   * process. Children keep the server answering while CPU-bound jobs run, and are killed when an
   * invocation overruns `functionTimeoutMs`; pollers in this process start faster.
   * @default 0
   */
  processes?: number;
  /** Extra environment for worker processes. @default - none */
  env?: NodeJS.ProcessEnv;
  /**
   * The tasks module's path, which worker processes load (a registry, `tasks`, cannot cross a
   * process boundary). @default - the built-in tasks
   */
  tasksModule?: string;
};

export type LocalRuntimeOptions = {
  /** Port on 127.0.0.1. @default 0 - any free port */
  port?: number;
  /** Local workers; `false` for a server with queues only. @default - two pollers in this process, batches of ten */
  workers?: LocalWorkersOptions | false;
  /**
   * Keep queues and messages in SQLite under this directory: they survive a restart or a
   * `kill -9`. Dispatched messages found in flight are made receivable at once (their workers
   * died with the previous server). @default - in memory
   */
  dataDir?: string;
  /** Delete what `dataDir` holds before starting. @default false */
  reset?: boolean;
  queues?: LocalQueueOverrides;
  counter?: RequestCounter;
};

export type LocalRuntime = {
  readonly endpoint: string;
  /**
   * The access key the server requires (SigV4): `target` signs with it; give it to any other
   * SQS client (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, region us-east-1).
   */
  readonly credentials: AccessKey;
  /** What `dataDir` held on start, and how many in-flight job messages were made receivable again. */
  readonly recovered: { queues: number; messages: number; released: number } | undefined;
  /** A target for dispatch and collect on this runtime. */
  readonly target: Target;
  /** The pollers, when the workers run in this process. */
  readonly workers: EventSourcePoller | undefined;
  /** The worker processes, when `workers.processes` ≥ 1. */
  readonly workerProcesses: WorkerProcesses | undefined;
  /**
   * Stops the workers, then the server. Worker processes drain (finish their running batches);
   * with `force` they are killed, and what they held comes back after its visibility timeout.
   * Idempotent; a later `force` still kills.
   */
  stop(options?: { force?: boolean }): Promise<void>;
};

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const server: EmbeddedServer = await startEmbeddedServer({
    port: options.port,
    dataDir: options.dataDir,
    reset: options.reset,
    releaseInFlight: (name) => name.startsWith(QUEUES.dispatched.name),
  });
  let target: Target | undefined;
  let pollers: EventSourcePoller | undefined;
  let processes: WorkerProcesses | undefined;
  try {
    target = await openEndpointTarget(server.endpoint, { queues: options.queues, counter: options.counter, credentials: server.credentials }).catch((error: unknown) => {
      const cause = (error as { cause?: { name?: string } }).cause;
      if (options.dataDir && cause?.name === 'QueueNameExists') {
        throw new UsageError(`the queues kept in ${options.dataDir} were made with other settings: \`fanout local --reset\` wipes them (and their messages)`, { cause: error });
      }
      throw error;
    });
    if (options.workers) {
      const { processes: count = 0, env, tasks, tasksModule, ...workers } = options.workers;
      if (count > 0) {
        if (tasks && !tasksModule) throw new UsageError('worker processes load their tasks by path: give workers.tasksModule (the module of workers.tasks)');
        processes = new WorkerProcesses({ ...workers, env, target, processes: count, tasksModule });
        await processes.start();
      } else {
        pollers = await startWorkers({ ...workers, tasks, target });
      }
    }
  } catch (error) {
    await processes?.stop({ force: true });
    target?.close();
    await server.close();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const opened = target;
  return {
    endpoint: server.endpoint,
    credentials: server.credentials,
    recovered: server.loaded && { queues: server.loaded.queues, messages: server.loaded.messages, released: server.released },
    target: opened,
    workers: pollers,
    workerProcesses: processes,
    stop(stopOptions = {}) {
      if (stopOptions.force) void processes?.stop({ force: true });
      return (stopping ??= (async () => {
        // The server and its queues go away with us: no need to let long polls run out.
        await pollers?.stop({ abort: true });
        await processes?.stop({ force: stopOptions.force });
        opened.close();
        await server.close();
      })());
    },
  };
}
