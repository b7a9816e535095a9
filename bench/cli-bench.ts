/**
 * The benchmark's `--mode cli` (the default above a million jobs): the real command line, each
 * part in its own process, so that each one's memory is its own. `fanout local --memory
 * --workers K` holds the server and the worker processes; `fanout dispatch --count N --json`
 * sends the run; `fanout collect --json`, started as soon as the run exists, stores its results.
 * dispatch's and collect's peak RSS come from their own JSON lines (`peakRssMb`); the server's
 * and the workers' from /proc (VmHWM) just before they are stopped.
 *
 * All three run the compiled CLI (dist/, as the installed `fanout`), with the young generation
 * capped as `npm start` caps it (`--semi-space-mb`, 16 by default; 0 for Node's defaults).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { RunStore } from '../cli/store/run-store.js';
import type { BenchOptions } from './options.js';
import type { BenchResult } from './result.js';
import { COMPILED_BIN } from './startup.js';

/** The in-process result's fields that mean the same here, and this mode's own. */
export type CliBenchResult = Pick<BenchResult, 'jobs' | 'task' | 'jobs_per_s' | 'peak_rss_workers_mb' | 'workers' | 'messages' | 'jobs_per_message' | 'complete' | 'ok' | 'failed' | 'duplicates' | 'node'> & {
  mode: 'cli';
  /** From dispatch's start to collect's exit. */
  total_s: number;
  /** dispatch's process, start to exit. */
  dispatch_s: number;
  /** SQS requests of dispatch and collect (the workers' are not counted in this mode), per 1,000 jobs. */
  requests_per_1k_jobs_master: number;
  peak_rss_dispatch_mb: number;
  peak_rss_collect_mb: number;
  /** `fanout local`: the embedded server (its worker processes below). */
  peak_rss_local_mb: number | null;
  /** The CLI processes' `--max-semi-space-size`, MB; null: Node's default. */
  semi_space_mb: number | null;
};

type JsonLine = Record<string, unknown> & { event?: string };

export async function runCliBench(options: BenchOptions, log: (line: string) => void): Promise<CliBenchResult> {
  if (options.target !== 'embedded') throw new Error('--mode cli runs on an embedded server (fanout local) only');
  const home = await mkdtemp(join(tmpdir(), 'fanout-bench-cli-'));
  const env = { ...process.env, FANOUT_HOME: join(home, '.fanout') };
  const v8Flags = options.semiSpaceMb > 0 ? [`--max-semi-space-size=${options.semiSpaceMb}`] : [];
  const fanout = (args: string[]) => spawn(process.execPath, [...v8Flags, COMPILED_BIN, ...args], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const workers = Math.max(1, options.workers);
  const local = fanout(['local', '--memory', '--port', '0', '--workers', String(workers), '--concurrency', String(options.pollers)]);
  try {
    await lineMatching(local, 'stderr', /^fanout local: SQS on /);
    log(`fanout local (pid ${local.pid}) with ${workers} worker process(es) is up`);
    const run = `r-bench-${Date.now().toString(36)}`;
    const started = performance.now();
    const dispatchArgs = ['dispatch', '--target', 'local', '--count', String(options.jobs), '--run', run, '--json', '--task', options.task];
    if (options.pack !== undefined) dispatchArgs.push('--pack', String(options.pack));
    const dispatcher = fanout(dispatchArgs);
    const dispatched = lastJsonLine(dispatcher, 'dispatched');
    await runExists(join(env.FANOUT_HOME, 'fanout.db'), run, dispatcher);
    const collector = fanout(['collect', '--target', 'local', '--run', run, '--json', '--timeout', String(options.timeoutSeconds)]);
    const summary = lastJsonLine(collector, 'summary');
    const dispatchReport = await dispatched;
    const dispatchS = (performance.now() - started) / 1000;
    log(`dispatch: ${JSON.stringify(dispatchReport)}`);
    const report = await summary;
    const totalS = (performance.now() - started) / 1000;
    const localRss = await peakRssMb(local.pid!);
    const workerRss = await Promise.all((await childPids(local.pid!)).map(peakRssMb));
    const store = RunStore.open({ path: join(env.FANOUT_HOME, 'fanout.db') });
    const record = store.requireRun(run);
    store.close();
    const masterRequests = [...Object.values(record.requests.dispatch), ...Object.values(record.requests.collect)].reduce((a, b) => a + b, 0);
    const counts = report.counts as { ok: number; failed: number; duplicates: number };
    return {
      jobs: options.jobs,
      task: options.task,
      mode: 'cli',
      total_s: round(totalS),
      dispatch_s: round(dispatchS),
      jobs_per_s: Math.round(options.jobs / totalS),
      requests_per_1k_jobs_master: round((masterRequests / options.jobs) * 1000, 2),
      peak_rss_dispatch_mb: dispatchReport.peakRssMb as number,
      peak_rss_collect_mb: report.peakRssMb as number,
      peak_rss_local_mb: localRss ?? null,
      peak_rss_workers_mb: workerRss.filter((mb): mb is number => mb !== undefined),
      workers,
      semi_space_mb: options.semiSpaceMb || null,
      messages: record.messagesSent,
      jobs_per_message: record.jobsPerMessage,
      complete: report.complete === true && counts.ok === options.jobs,
      ok: counts.ok,
      failed: counts.failed,
      duplicates: counts.duplicates,
      node: process.version,
    };
  } finally {
    await stop(local);
    await rm(home, { recursive: true, force: true });
  }
}

/** Resolves with the first line of `stream` matching `pattern`; rejects if the process ends first. */
function lineMatching(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child[stream]! });
    const seen: string[] = [];
    lines.on('line', (line) => {
      if (seen.length < 20) seen.push(line);
      if (pattern.test(line)) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.slice(2).join(' ')} exited (${code}) before saying ${pattern}: ${seen.join(' | ')}`)));
  });
}

/**
 * The last JSON line of `event` on stdout, once the process exits 0 or 1. Every other line (one
 * per result, for collect) is read and dropped as it comes: the pipe never fills.
 */
function lastJsonLine(child: ChildProcess, event: string): Promise<JsonLine> {
  return new Promise((resolve, reject) => {
    let found: JsonLine | undefined;
    let errors = '';
    const prefix = `{"event":"${event}"`;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(prefix)) found = JSON.parse(line) as JsonLine;
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      if (errors.length < 4000) errors += chunk.toString();
    });
    child.once('exit', (code) => {
      if (found && (code === 0 || code === 1)) resolve(found);
      else reject(new Error(`${child.spawnargs.slice(2).join(' ')} exited ${code} without a ${event} line: ${errors.trim()}`));
    });
  });
}

/** Waits until dispatch has recorded the run and its result queue, so that collect can start on it. */
async function runExists(path: string, run: string, dispatcher: ChildProcess): Promise<void> {
  for (;;) {
    if (dispatcher.exitCode !== null) return;
    try {
      const store = RunStore.open({ path });
      try {
        if (store.getRun(run)?.queues.results) return;
      } finally {
        store.close();
      }
    } catch {
      // Not created yet.
    }
    await delay(20);
  }
}

/** A live process's peak RSS (VmHWM), in MB; undefined if it cannot be read. */
async function peakRssMb(pid: number): Promise<number | undefined> {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : round(Number(kb) / 1024, 1);
  } catch {
    return undefined;
  }
}

async function childPids(pid: number): Promise<number[]> {
  try {
    return (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Stops `fanout local`: one SIGTERM drains and exits; a SIGKILL after 20 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
