/**
 * Dispatch as users run it, in a child process the suite can `kill -9`: `fanout dispatch … --json`,
 * then `fanout dispatch --resume RUN --json` after each kill, until a life ends on its own.
 *
 * The kill points are seeded: "once the store says `jobs` jobs are sent, wait `delayMs`, then
 * SIGKILL". A point at 0 jobs kills a life while it starts up or creates the run's queue; a point
 * the previous life already passed kills the next one at once, wherever its start-up is (a point
 * is "reached" only once the run exists, so a kill before the run is recorded is rare: then the
 * next life dispatches afresh). The run store is read from this process (WAL: readers never block
 * the dispatcher).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { RunStore } from '../../cli/store/run-store.js';
import type { Rng } from './rng.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** One `fanout` child process, its exit and the tail of its stderr. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  /** The last few KB of its stderr. */
  stderr = '';
  readonly exited: Promise<Exit>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'cli/bin.ts', ...args], { cwd: root, env: { ...env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = once(this.child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout = (this.stdout + chunk.toString()).slice(-65_536)));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4096)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** `kill -9`; resolves to how the process ended (SIGKILL, unless it had already finished). */
  async kill(): Promise<Exit> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exited;
  }
}

export type DispatchKillPoint = { jobs: number; delayMs: number };

/**
 * `count` kill points, in order, over jobs [0, jobs × maxFraction]. The first is at 0 (the run
 * recorded, nothing sent yet) one time in three; a point the previous life passed kills the next
 * life during its start-up.
 */
export function dispatchKillPoints(rng: Rng, count: number, jobs: number, maxFraction = 0.95): DispatchKillPoint[] {
  return Array.from({ length: count }, (_, i) => ({ jobs: i === 0 && rng.chance(1 / 3) ? 0 : Math.floor(rng.next() * jobs * maxFraction), delayMs: rng.int(0, 40) })).sort((a, b) => a.jobs - b.jobs);
}

export type DispatchWithKillsOptions = {
  /** The first life's arguments after `dispatch` (task, inputs, pack, target); `--json` is added. */
  args: readonly string[];
  /** A resumed life's target arguments (`--target URL`). */
  resumeArgs: readonly string[];
  /** The children's environment, FANOUT_HOME included. */
  env: NodeJS.ProcessEnv;
  /** The same run store, opened in this process, to watch progress and learn the run id. */
  store: RunStore;
  points: readonly DispatchKillPoint[];
  log?: (message: string) => void;
  /** Called once with the run's id, as soon as it is in the store. No other run may be created in the store until then. */
  onRun?: (run: string) => void;
  signal?: AbortSignal;
};

export type DispatchWithKillsReport = {
  run: string | undefined;
  requested: number;
  /** Lives that ended by our SIGKILL. */
  confirmed: number;
  /** Kill points met before the life had created the run (so the kill was at start-up). */
  atStartup: number;
  /** Jobs the store said were sent when each kill landed (-1: the run was not recorded yet). */
  killedAt: number[];
  /** Every life's exit, in order. */
  exits: Exit[];
  /**
   * The last life's exit (it was not killed) and its stderr; undefined when no life was needed
   * after the last kill, because the killed one had sent every job and recorded the run as
   * dispatched before it died.
   */
  final: Exit | undefined;
  finalStderr: string;
};

/**
 * Dispatches with the CLI, kills each life at its point, resumes, and returns once a life ends
 * by itself (or a life the suite did not kill fails: its exit is the `final`).
 */
export async function dispatchWithKills(options: DispatchWithKillsOptions): Promise<DispatchWithKillsReport> {
  const { store, log = () => {} } = options;
  const known = new Set(store.listRuns(1_000_000).map((r) => r.id));
  let run: string | undefined;
  const findRun = () => {
    if (run === undefined) {
      run = store.listRuns(10).find((r) => !known.has(r.id))?.id;
      if (run !== undefined) options.onRun?.(run);
    }
    return run;
  };
  const exits: Exit[] = [];
  const killedAt: number[] = [];
  const dispatchedInFull = () => {
    const state = run === undefined ? undefined : store.getRun(run)?.state;
    return state === 'dispatched' || state === 'complete';
  };
  let confirmed = 0;
  let atStartup = 0;
  let point = 0;
  for (;;) {
    if (options.signal?.aborted) throw new Error('the scenario stopped');
    // A killed life may have sent everything and recorded it: there is nothing left to resume (nor to kill).
    if (dispatchedInFull()) return { run, requested: options.points.length, confirmed, atStartup, killedAt, exits, final: undefined, finalStderr: '' };
    // Until the run exists, every life is a fresh dispatch (a kill before createRun leaves nothing to resume).
    const life = new CliProcess(findRun() === undefined ? ['dispatch', ...options.args, '--json'] : ['dispatch', '--resume', run!, ...options.resumeArgs, '--json'], options.env);
    const next = options.points[point];
    if (next === undefined) {
      const final = await life.exited;
      exits.push(final);
      return { run: findRun(), requested: options.points.length, confirmed, atStartup, killedAt, exits, final, finalStderr: life.stderr };
    }
    // Wait for the point: the run's jobs_sent (read from the store), or the life's end.
    let reached = false;
    while (life.running && !options.signal?.aborted) {
      const id = findRun();
      const sent = id === undefined ? -1 : (store.getRun(id)?.jobsSent ?? -1);
      if (sent >= next.jobs) {
        reached = true;
        break;
      }
      await delay(10);
    }
    if (reached) {
      await delay(next.delayMs);
      if (findRun() === undefined) atStartup++;
    }
    const sentAtKill = findRun() === undefined ? -1 : (store.getRun(run!)?.jobsSent ?? -1);
    const exit = await life.kill();
    exits.push(exit);
    if (exit.signal !== 'SIGKILL') {
      // It ended by itself before its point: that is the final life.
      return { run: findRun(), requested: options.points.length, confirmed, atStartup, killedAt, exits, final: exit, finalStderr: life.stderr };
    }
    confirmed++;
    killedAt.push(sentAtKill);
    point++;
    log(`dispatch kill ${confirmed}/${options.points.length}: at ${findRun() === undefined ? 'start-up' : `${store.getRun(run!)?.jobsSent ?? 0} jobs sent`} (point ${next.jobs}+${next.delayMs} ms)`);
  }
}
