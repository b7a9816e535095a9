/** What a parent and its worker processes agree on: how configuration and reports travel. */
import type { Queues } from '../endpoint/queues.js';
import type { WorkerPoolOptions } from './start-workers.js';

export const WORKER_CONFIG_ENV = 'FANOUT_WORKER_CONFIG';

export type WorkerProcessConfig = {
  target: { name: string; endpoint: string | undefined; where: string; queues: Queues };
  workers: Omit<WorkerPoolOptions, 'target'>;
};

/** Messages a worker process sends its parent. */
export type WorkerProcessMessage = { type: 'ready' } | { type: 'invoked'; records: number; failed: number } | { type: 'error'; message: string };

