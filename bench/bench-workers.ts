/**
 * The benchmark's workers: pollers in this process (`--workers 0`, as `npm start` runs them) or
 * K worker processes (`WorkerProcesses`, as `fanout work --processes K` runs them). Either way
 * their SQS requests are counted and their peak RSS is known.
 *
 * In-process pollers get their own client, so their requests can be told apart from the
 * dispatcher's and the collector's. Worker processes build their own clients: when
 * `WorkerProcesses` can report its children's counts (`stats()`, proposed in
 * /tmp/perf-patches/05-worker-process-stats.patch) we ask it; otherwise the preloaded
 * `worker-probe.mjs` counts them and reports on SIGUSR2 (see its header).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import type { Target } from '../cli/endpoint/resolve-target.js';
import { createSqsClient, type RequestCounter } from '../cli/endpoint/sqs-client.js';
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
  const sqs = createSqsClient({ endpoint: options.target.endpoint, counter: requests });
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

const PROBE = fileURLToPath(new URL('./worker-probe.mjs', import.meta.url));
const PROBE_DIR_ENV = 'FANOUT_BENCH_PROBE_DIR';
const SNAPSHOT_TIMEOUT_MS = 10_000;

/** `WorkerProcesses.stats()`, where fanout has it. */
type StatsReporter = { stats(): Promise<ProbeReport[]> };
const hasStats = typeof (WorkerProcesses.prototype as Partial<StatsReporter>).stats === 'function';

async function startProcesses(options: BenchWorkersOptions): Promise<BenchWorkers> {
  if (hasStats) return startReportingProcesses(options);
  const dir = await mkdtemp(join(tmpdir(), 'fanout-bench-probe-'));
  // The children preload the probe.
  const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${PROBE}`.trim(), [PROBE_DIR_ENV]: dir };
  const pool = new WorkerProcesses({ target: options.target, processes: options.processes, concurrency: options.pollers, env });
  pool.on('error', ({ pid, message }) => options.onError(`worker ${pid}: ${message}`));
  pool.on('died', ({ pid, code, signal }) => options.onError(`worker ${pid} died (${signal ?? `code ${code}`})`));
  await pool.start();

  const snapshot = async (): Promise<WorkerSnapshot> => {
    const pids = pool.pids;
    await Promise.all(pids.map((pid) => rm(join(dir, `${pid}.json`), { force: true })));
    for (const pid of pids) process.kill(pid, 'SIGUSR2');
    const requests: RequestCounter = new Map();
    const processRssKb: number[] = [];
    let processCpuUs = 0;
    for (const pid of pids) {
      const report = await waitForReport(join(dir, `${pid}.json`));
      for (const [operation, n] of Object.entries(report.requests)) requests.set(operation, (requests.get(operation) ?? 0) + n);
      processRssKb.push(report.maxRssKb);
      processCpuUs += report.cpuUs;
    }
    return { requests, processRssKb, processCpuUs };
  };

  return {
    description: `${options.processes} worker process(es) × ${options.pollers} poller(s)`,
    snapshot,
    stop: async () => {
      await pool.stop({ force: true });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function startReportingProcesses(options: BenchWorkersOptions): Promise<BenchWorkers> {
  const pool = new WorkerProcesses({ target: options.target, processes: options.processes, concurrency: options.pollers });
  pool.on('error', ({ pid, message }) => options.onError(`worker ${pid}: ${message}`));
  pool.on('died', ({ pid, code, signal }) => options.onError(`worker ${pid} died (${signal ?? `code ${code}`})`));
  await pool.start();
  return {
    description: `${options.processes} worker process(es) × ${options.pollers} poller(s)`,
    snapshot: async () => {
      const reports = await (pool as unknown as StatsReporter).stats();
      const requests: RequestCounter = new Map();
      for (const report of reports) {
        for (const [operation, n] of Object.entries(report.requests)) requests.set(operation, (requests.get(operation) ?? 0) + n);
      }
      return { requests, processRssKb: reports.map((r) => r.maxRssKb), processCpuUs: reports.reduce((sum, r) => sum + r.cpuUs, 0) };
    },
    stop: () => pool.stop({ force: true }),
  };
}

type ProbeReport = { pid: number; requests: Record<string, number>; maxRssKb: number; cpuUs: number };

async function waitForReport(path: string): Promise<ProbeReport> {
  const deadline = Date.now() + SNAPSHOT_TIMEOUT_MS;
  for (;;) {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as ProbeReport;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || Date.now() > deadline) {
        throw new Error(`no request count from worker process (${path}): ${(error as Error).message}`);
      }
      await delay(10);
    }
  }
}
