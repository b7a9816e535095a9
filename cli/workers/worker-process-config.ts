/** What a parent and its worker processes agree on: how configuration and reports travel. */
import type { Connection } from '../endpoint/connection.js';
import type { Queues } from '../endpoint/queues.js';
import type { LostMessage } from './held-messages.js';
import type { WorkerPoolOptions } from './start-workers.js';

export const WORKER_CONFIG_ENV = 'FANOUT_WORKER_CONFIG';

export type WorkerProcessConfig = {
  target: { name: string; connection: Connection; where: string; queues: Queues };
  workers: Omit<WorkerPoolOptions, 'target' | 'tasks'>;
  /** The tasks module each process loads (an absolute path). @default - the built-in tasks */
  tasksModule?: string;
};

/** What a worker process has used so far: its SQS requests by operation, peak memory and CPU time. */
export type WorkerProcessStats = { pid: number; requests: Record<string, number>; maxRssKb: number; cpuUs: number };

/** Messages a worker process sends its parent. */
export type WorkerProcessMessage =
  | { type: 'ready' }
  /** An invocation starts: the parent kills this process if it has not ended within `timeoutMs`, as Lambda would. */
  | { type: 'invoking'; id: number; records: number; timeoutMs: number }
  | { type: 'invoked'; id: number; records: number; failed: number }
  | ({ type: 'lost' } & LostMessage)
  | { type: 'error'; message: string }
  | ({ type: 'stats' } & WorkerProcessStats);

/** Messages a parent sends its worker processes. */
export type WorkerProcessRequest = { type: 'stats' };

