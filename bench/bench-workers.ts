/**
 * The benchmark's workers: pollers in this process (`--workers 0`, as `npm start` runs them) or
 * K worker processes (`WorkerProcesses`, as `fanout work --processes K` runs them). Either way
 * their SQS requests are counted and their peak RSS is known.
 *
 * In-process pollers get their own client, so their requests can be told apart from the
 * dispatcher's and the collector's. Worker processes count their own requests and report them,
 * with their peak RSS and CPU time, over the IPC channel they already have
 * (`WorkerProcesses.stats()`).
 */
import type { Target } from '../cli/endpoint/target.js';
import { createSqsClient, type RequestCounter } from '../cli/endpoint/clients.js';
import { startWorkers } from '../cli/workers/start-workers.js';
import { WorkerProcesses } from '../cli/workers/worker-processes.js';

export type WorkerSnapshot = {
  /** Requests by operation, every worker together, since the workers started. */
  requests: RequestCounter;
  /** Peak RSS of each worker process, in KB; empty for in-process pollers (they are in ours). */
  processRssKb: number[];
  /** CPU time (user + system) of the worker processes so far, in µs; 0 for in-process pollers. */
  processCpuUs: number;
};

export type BenchWorkers = {
  readonly description: string;
  snapshot(): Promise<WorkerSnapshot>;
  stop(): Promise<void>;
};

export type BenchWorkersOptions = {
  target: Target;
  /** 0 = pollers in this process. */
  processes: number;
  /** Pollers per process. */
  pollers: number;
  onError: (message: string) => void;
};

export async function startBenchWorkers(options: BenchWorkersOptions): Promise<BenchWorkers> {
  return options.processes === 0 ? startInProcess(options) : startProcesses(options);
}

async function startInProcess(options: BenchWorkersOptions): Promise<BenchWorkers> {
  const requests: RequestCounter = new Map();
  const sqs = createSqsClient(options.target.connection, { counter: requests });
  const poller = await startWorkers({ target: { ...options.target, sqs }, concurrency: options.pollers });
  poller.on('error', (error) => options.onError(`worker: ${error.message}`));
  return {
    description: `${options.pollers} poller(s) in the benchmark process`,
    snapshot: async () => ({ requests: new Map(requests), processRssKb: [], processCpuUs: 0 }),
    stop: async () => {
      await poller.stop({ abort: true });
      sqs.destroy();
    },
  };
}

async function startProcesses(options: BenchWorkersOptions): Promise<BenchWorkers> {
  const pool = new WorkerProcesses({ target: options.target, processes: options.processes, concurrency: options.pollers });
  pool.on('error', ({ pid, message }) => options.onError(`worker ${pid}: ${message}`));
  pool.on('died', ({ pid, code, signal }) => options.onError(`worker ${pid} died (${signal ?? `code ${code}`})`));
  await pool.start();
  return {
    description: `${options.processes} worker process(es) × ${options.pollers} poller(s)`,
    snapshot: async () => {
      const reports = await pool.stats();
      const requests: RequestCounter = new Map();
      for (const report of reports) {
        for (const [operation, n] of Object.entries(report.requests)) requests.set(operation, (requests.get(operation) ?? 0) + n);
      }
      return { requests, processRssKb: reports.map((r) => r.maxRssKb), processCpuUs: reports.reduce((sum, r) => sum + r.cpuUs, 0) };
    },
    stop: () => pool.stop({ force: true }),
  };
}
