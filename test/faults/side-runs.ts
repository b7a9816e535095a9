/**
 * Two small runs beside the main one, on the same server and workers, each in a run store of its
 * own (FANOUT_HOME `<home>/side`), for the promises that need a quiet run to be judged exactly:
 *
 * - storage_full: every result of the run waits on its queue; a `fanout collect` whose store is
 *   capped at its current size (FANOUT_STORE_MAX_BYTES) must exit 4 with one line naming the
 *   cause and the database, store nothing, and delete nothing (the messages come back after the
 *   visibility timeout); the same command without the cap then completes the run (exit 0).
 * - conflicts_reported: the run's dispatch stops after its first window (resumable); a collect
 *   stores the results of the jobs sent; forged results with another outcome for some of those
 *   jobs go to the run's queue; the dispatch is resumed; `fanout collect` must report each forged
 *   result as a conflict, keep the first result, and exit 1 although every job succeeded.
 *
 * Both runs use task `fail` with `{ fail: false, value }` inputs: every job succeeds with `value`.
 */
import { join } from 'node:path';
import { GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { setTimeout as delay } from 'node:timers/promises';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { RunStore } from '../../cli/store/run-store.js';
import type { Conflict, Outcome } from '../../cli/store/types.js';
import type { Target } from '../../cli/endpoint/target.js';
import { STORE_MAX_BYTES_ENV } from '../../cli/store/database.js';
import type { Result } from '../../functions/wire/contract.js';
import { CliProcess, type Exit } from './dispatch-process.js';
import { sendResults, until } from './io.js';
import { chooseDistinct, type Rng } from './rng.js';

export type SideRunOptions = {
  target: Target;
  endpoint: string;
  /** The CLI's environment (queue URLs); FANOUT_HOME is set on top. */
  env: NodeJS.ProcessEnv;
  /** FANOUT_HOME of the side runs' store. */
  home: string;
  rng: Rng;
  /** The result queues' visibility timeout, in seconds (how long until unreleased messages come back). */
  visibilityTimeoutSeconds: number;
  signal: AbortSignal;
  say: (message: string) => void;
};

export type StorageFullEvidence = {
  run: string;
  dbPath: string;
  jobs: number;
  /** Result messages waiting on the run's queue before the capped collector started. */
  waiting: number;
  capBytes: number;
  capped: { exit: Exit; stderrLines: string[] };
  /** Results in the store once the capped collector had exited (must be 0). */
  storedWhileCapped: number;
  /** Messages visible on the run's queue after the visibility timeout (must be `waiting` again). */
  cameBack: number;
  lifted: { exit: Exit; stderr: string; done: number; wrong: number[] };
};

export type ConflictsEvidence = {
  run: string;
  jobs: number;
  /** Jobs sent before the dispatch stopped, and the results stored by the collect that followed. */
  firstWindow: { jobsSent: number; done: number; end: string };
  forged: Array<{ job: number; outcome: Outcome }>;
  final: { exit: Exit; stderr: string; summary: Record<string, unknown> | undefined };
  /** Every conflict the store holds for the run. */
  conflicts: Conflict[];
  /** Stored results that are not `{ ok: true, output: value }` of their input. */
  wrong: number[];
  done: number;
};

const planned = (rng: Rng, jobs: number) => Array.from({ length: jobs }, () => ({ fail: false, value: rng.int(-1000, 1000) }));

function wrongResults(store: RunStore, run: string, inputs: ReadonlyArray<{ value: number }>): { wrong: number[]; done: number } {
  const wrong: number[] = [];
  let done = 0;
  for (const result of store.results(run)) {
    done++;
    if (!result.ok || result.output !== inputs[result.id]?.value) wrong.push(result.id);
  }
  return { wrong, done };
}

async function visible(target: Target, url: string): Promise<number> {
  const { Attributes } = await target.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
}

/** Distinct messages received from `url` (each released at once), until `count` are seen or `timeoutMs` passes. */
async function peekDistinct(target: Target, url: string, count: number, timeoutMs: number): Promise<number> {
  const seen = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  while (seen.size < count && Date.now() < deadline) {
    const { Messages = [] } = await target.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 0 }));
    for (const message of Messages) seen.add(message.MessageId!);
  }
  return seen.size;
}

export async function storageFullRun(options: SideRunOptions): Promise<StorageFullEvidence> {
  const { target, endpoint, home, say } = options;
  const jobs = 300;
  const inputs = planned(options.rng, jobs);
  const store = RunStore.open({ path: join(home, 'fanout.db') });
  try {
    // 100 results a message: a batch needs new pages, so a store capped at its size cannot take one.
    const { run, messages } = await dispatch({ target, store, task: 'fail', inputs, jobsPerMessage: 100 });
    const queue = store.requireRun(run).queues.results!;
    await until(async () => (await visible(target, queue)) >= messages, options.signal, 120_000, 200);
    await delay(500);
    const waiting = await visible(target, queue);
    const pages = (store.database.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    const pageSize = (store.database.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
    const capBytes = Math.max(4096, pages * pageSize);
    const args = ['collect', '--run', run, '--target', endpoint, '--timeout', '60'];
    const env = { ...options.env, FANOUT_HOME: home, FANOUT_TARGET: '' };
    const cappedLife = new CliProcess(args, { ...env, [STORE_MAX_BYTES_ENV]: String(capBytes) });
    const cappedExit = await cappedLife.exited;
    const storedWhileCapped = store.requireRun(run).counts.done;
    say(`storage_full: the collector capped at ${capBytes} bytes exited ${cappedExit.code ?? cappedExit.signal}: ${cappedLife.stderr.trim()}`);
    // What it received and did not delete comes back once the visibility timeout passes: seen by
    // receiving them (releasing each at once), as the server may count returning messages lazily.
    await delay((options.visibilityTimeoutSeconds + 1) * 1000);
    const cameBack = await peekDistinct(target, queue, waiting, 30_000);
    const liftedLife = new CliProcess(args, env);
    const liftedExit = await liftedLife.exited;
    const { wrong, done } = wrongResults(store, run, inputs);
    say(`storage_full: ${cameBack}/${waiting} messages came back; without the cap the collector exited ${liftedExit.code ?? liftedExit.signal} with ${done}/${jobs} results`);
    return {
      run,
      dbPath: store.path,
      jobs,
      waiting,
      capBytes,
      capped: { exit: cappedExit, stderrLines: cappedLife.stderr.split('\n').filter((line) => line.trim() !== '') },
      storedWhileCapped,
      cameBack,
      lifted: { exit: liftedExit, stderr: liftedLife.stderr, done, wrong },
    };
  } finally {
    store.close();
  }
}

export async function conflictsRun(options: SideRunOptions & { forge: number }): Promise<ConflictsEvidence> {
  const { target, endpoint, home, rng, say } = options;
  const jobs = 400;
  const inputs = planned(rng, jobs);
  const store = RunStore.open({ path: join(home, 'fanout.db') });
  try {
    // One window (1 × 10 messages of 20 jobs) goes, then the dispatch stops: a resumable run.
    const first = await dispatch({ target, store, task: 'fail', inputs, jobsPerMessage: 20, concurrency: 1, signal: AbortSignal.abort() });
    const { run } = first;
    const partial = await collect({ target, store, run, timeoutMs: 120_000, checkDeadLetters: false, signal: options.signal });
    const stored = [...store.results(run)];
    const forged = chooseDistinct(rng, stored.length, Math.min(options.forge, stored.length)).map((i) => {
      const real = stored[i]!;
      const outcome: Outcome = rng.chance(0.5) ? { ok: true, output: (real.ok ? (real.output as number) : 0) + 1 } : { ok: false, error: { name: 'Error', message: `forged failure of job ${real.id}` } };
      return { job: real.id, outcome };
    });
    const results: Result[] = forged.map(({ job, outcome }) => ({ id: job, ...outcome, started: Date.now(), ms: 1 }) as Result);
    await sendResults(target, store.requireRun(run).queues.results!, run, results, rng, { worker: 'faults-forger', cold: false, attempt: 1 });
    say(`conflicts: run ${run} stopped after ${first.jobsSent} jobs, ${partial.counts.done} stored (${partial.end}); forged ${forged.length} results; resuming`);
    await dispatch({ target, store, resume: run, inputs });
    const life = new CliProcess(['collect', '--run', run, '--target', endpoint, '--timeout', '120', '--json'], { ...options.env, FANOUT_HOME: home, FANOUT_TARGET: '' });
    const exit = await life.exited;
    const summaryLine = life.stdout.split('\n').find((line) => line.includes('"event":"summary"'));
    const summary = summaryLine ? (JSON.parse(summaryLine) as Record<string, unknown>) : undefined;
    const { wrong, done } = wrongResults(store, run, inputs);
    const conflicts = store.conflicts(run);
    say(`conflicts: the collector exited ${exit.code ?? exit.signal}; ${conflicts.length} conflict(s) stored, ${done}/${jobs} results`);
    return {
      run,
      jobs,
      firstWindow: { jobsSent: first.jobsSent, done: partial.counts.done, end: partial.end },
      forged,
      final: { exit, stderr: life.stderr, summary },
      conflicts,
      wrong,
      done,
    };
  } finally {
    store.close();
  }
}
