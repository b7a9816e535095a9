/**
 * The fan-out benchmark: `npm run bench -- --jobs N [--mode all-in-one|cli] [--task square|burn]
 * [--target embedded|localstack] [--workers K] --json`. Above a million jobs it runs the real CLI,
 * each part in its own process (cli-bench.ts); what follows describes the all-in-one mode.
 *
 * Sets up fresh queues and starts the workers first (not timed), then times dispatch and collect
 * of one run back to back, as `fanout run` does: `total_s` runs from dispatch's start to
 * collect's end; `cpu_s` is the CPU time this process and the worker processes spent in it.
 * SQS requests are counted by operation: the dispatcher's and the collector's in that window,
 * the workers' from their start (one GetQueueAttributes per process, and the long polls already
 * waiting when dispatch begins) to collect's end; queue set-up is not counted. The last stdout
 * line is one JSON object; with `--json` nothing else is printed, otherwise a summary goes to
 * stderr.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, type CollectReport } from '../cli/master/collect/collect.js';
import { dispatch, type DispatchReport } from '../cli/master/dispatch/dispatch.js';
import { MasterEmitter } from '../cli/master/events.js';
import { RunStore } from '../cli/store/run-store.js';
import { renderReport } from '../cli/report/render-report.js';
import { loadReportData } from '../cli/report/load-report-data.js';
import type { RequestCounter } from '../cli/endpoint/clients.js';
import type { Target } from '../cli/endpoint/target.js';
import { FanoutError } from '../functions/wire/errors.js';
import { startProfiling } from './profiler.js';
import { openBenchTarget } from './bench-target.js';
import { startBenchWorkers, type BenchWorkers, type WorkerSnapshot } from './bench-workers.js';
import { jobInputs, parseBenchArgs, USAGE, type BenchOptions } from './options.js';
import { formatSummary, type BenchResult } from './result.js';
import { measureStartup } from './startup.js';
import { runCliBench } from './cli-bench.js';

async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchResult> {
  const inputs = jobInputs(options);
  const home = await mkdtemp(join(tmpdir(), 'fanout-bench-'));
  const store = RunStore.open({ path: join(home, 'fanout.db') });
  const queues = await openBenchTarget(options.target);
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (warnings.length < 5) log(`warning: ${message}`);
    warnings.push(message);
  };
  try {
    const workers = await startBenchWorkers({ target: queues.target, processes: options.workers, pollers: options.pollers, onError: warn });
    try {
      log(`${options.jobs} ${options.task} job(s) on ${options.target}, ${workers.description}`);
      const events = new MasterEmitter();
      events.on('warning', ({ message }) => warn(message));
      const run = await timeRun(options, { target: queues.target, store, inputs, workers, events });
      return benchResult(options, run, store, warnings);
    } finally {
      await workers.stop();
    }
  } finally {
    await queues.close();
    store.close();
    await rm(home, { recursive: true, force: true });
  }
}

/** What a timed run needs: the queues and store it runs on, its inputs, the workers already started. */
type RunSetup = {
  target: Target;
  store: RunStore;
  inputs: readonly number[];
  workers: BenchWorkers;
  events: MasterEmitter;
};

/** One run's dispatch and collect, and the clocks and counters read around them. */
type TimedRun = {
  dispatched: DispatchReport;
  collected: CollectReport;
  /** `performance.now()` at dispatch's start, at its return, and at collect's end. */
  started: number;
  dispatchedAt: number;
  finished: number;
  /** This process's CPU time from dispatch's start to collect's end. */
  cpu: NodeJS.CpuUsage;
  workersBefore: WorkerSnapshot;
  workersAfter: WorkerSnapshot;
};

/** Dispatches and collects one run back to back, as `fanout run` does, timing both. */
async function timeRun(options: BenchOptions, { target, store, inputs, workers, events }: RunSetup): Promise<TimedRun> {
  const workersBefore = await workers.snapshot();
  const stopProfiling = options.cpuProfile ? await startProfiling(options.cpuProfile) : undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const dispatched = await dispatch({ target, store, task: options.task, inputs, jobsPerMessage: options.pack, concurrency: options.sendConcurrency });
  const dispatchedAt = performance.now();
  const collected = await collect({
    target,
    store,
    run: dispatched.run,
    timeoutMs: options.timeoutSeconds * 1000,
    receivers: options.receivers,
    events,
  });
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  await stopProfiling?.();
  const workersAfter = await workers.snapshot();
  return { dispatched, collected, started, dispatchedAt, finished, cpu, workersBefore, workersAfter };
}

/** The JSON line's figures of a timed run. Reads this process's peak RSS, then renders the run's report (not timed). */
function benchResult(options: BenchOptions, run: TimedRun, store: RunStore, warnings: readonly string[]): BenchResult {
  const { dispatched, collected, started, dispatchedAt, finished, cpu, workersBefore, workersAfter } = run;
  const cpuUs = cpu.user + cpu.system + workersAfter.processCpuUs - workersBefore.processCpuUs;
  const dispatchRequests = counter(store.requireRun(dispatched.run).requests.dispatch);
  const collectRequests = counter(collected.requests);
  const parentRssKb = process.resourceUsage().maxRSS;
  const reportBytes = Buffer.byteLength(renderReport(loadReportData(store, dispatched.run)));
  const totalS = (finished - started) / 1000;
  const requests = sum(dispatchRequests, workersAfter.requests, collectRequests);
  const requestCount = [...requests.values()].reduce((a, b) => a + b, 0);
  return {
    jobs: options.jobs,
    task: options.task,
    target: options.target,
    dispatch_s: round((dispatchedAt - started) / 1000),
    collect_s: round((finished - dispatchedAt) / 1000),
    total_s: round(totalS),
    jobs_per_s: Math.round(options.jobs / totalS),
    requests: sorted(requests),
    requests_per_1k_jobs: round((requestCount / options.jobs) * 1000, 1),
    peak_rss_mb: round((parentRssKb + workersAfter.processRssKb.reduce((a, b) => a + b, 0)) / 1024, 1),
    startup_ms: null,
    per_job_us: round(cpuUs / options.jobs, 2),
    report_mb: round(reportBytes / 1048576, 2),
    // Beyond the keys: enough to read a run without its command line.
    requests_total: requestCount,
    cpu_s: round(cpuUs / 1e6),
    requests_by_role: { dispatch: sorted(dispatchRequests), workers: sorted(workersAfter.requests), collect: sorted(collectRequests) },
    peak_rss_parent_mb: round(parentRssKb / 1024, 1),
    peak_rss_workers_mb: workersAfter.processRssKb.map((kb) => round(kb / 1024, 1)),
    workers: options.workers,
    pollers: options.pollers,
    receivers: options.receivers ?? null,
    messages: dispatched.messages,
    jobs_per_message: dispatched.jobsPerMessage,
    complete: collected.complete && collected.counts.ok === options.jobs,
    ok: collected.counts.ok,
    failed: collected.counts.failed,
    duplicates: collected.counts.duplicates,
    warnings: warnings.length,
    node: process.version,
  };
}

function counter(counts: Record<string, number>): RequestCounter {
  return new Map(Object.entries(counts));
}

function sum(...counters: RequestCounter[]): RequestCounter {
  const out: RequestCounter = new Map();
  for (const counter of counters) for (const [operation, n] of counter) out.set(operation, (out.get(operation) ?? 0) + n);
  return out;
}

function sorted(counter: RequestCounter): Record<string, number> {
  return Object.fromEntries([...counter].sort(([a], [b]) => a.localeCompare(b)));
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const log = options.json ? () => {} : (line: string) => process.stderr.write(`bench: ${line}\n`);
  if (options.mode === 'cli') {
    const result = await runCliBench(options, log);
    if (!options.json) process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.complete ? 0 : 1;
  }
  const result = await runBench(options, log);
  if (options.startupRuns > 0) {
    log(`timing ${options.startupRuns} run(s) of the compiled \`fanout run --local\``);
    result.startup_ms = (await measureStartup(options.startupRuns)) ?? null;
    if (result.startup_ms === null) log('dist/ is not built (npm run build): startup_ms not measured');
  }
  if (!options.json) process.stderr.write(formatSummary(result));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.complete ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof FanoutError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`bench: ${message}\n`);
    process.exit(error instanceof FanoutError ? 2 : 1);
  },
);
