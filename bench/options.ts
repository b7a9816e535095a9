/**
 * The benchmark's flags, parsed and checked in one place. Each message names the flag and the
 * value given.
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../functions/wire/errors.js';
import { BUILTIN_TASKS } from '../functions/tasks/builtin-tasks.js';
import { integerFlag, oneOf, secondsFlag } from '../cli/commands/validation.js';

export const BENCH_TARGETS = ['embedded', 'localstack'] as const;
export type BenchTarget = (typeof BENCH_TARGETS)[number];

export const BENCH_MODES = ['all-in-one', 'cli'] as const;
export type BenchMode = (typeof BENCH_MODES)[number];

/** Above this many jobs the benchmark runs the real CLI, each part in its own process (`--mode cli`). */
export const CLI_MODE_ABOVE_JOBS = 1_000_000;

export type BenchOptions = {
  /** Jobs in the run. */
  jobs: number;
  /**
   * `all-in-one`: server, workers, dispatch and collect in this process (workers in K processes
   * with --workers K), timed and profiled from here. `cli`: `fanout local`, `fanout dispatch` and
   * `fanout collect` each in its own process (cli-bench.ts), for each one's peak RSS.
   * @default - all-in-one up to a million jobs, cli above
   */
  mode: BenchMode;
  /** A registered task. @default 'square' */
  task: string;
  /**
   * The input every job gets. `square` always gets the job index (the README's example).
   * @default 10 - e.g. `burn` spins 10 ms per job
   */
  input: number;
  /** @default 'embedded' */
  target: BenchTarget;
  /** Worker processes; 0 = pollers in the benchmark's own process (as `npm start` runs them). @default 0 */
  workers: number;
  /** Pollers per process (the poller's `concurrency`). @default 2 (fanout's default) */
  pollers: number;
  /** Jobs per message. @default - dispatch's own choice (pack-size.ts) */
  pack: number | undefined;
  /** collect's long-poll receivers. @default - collect's default (4) */
  receivers: number | undefined;
  /** dispatch's SendMessageBatch calls in flight. @default - dispatch's default (8) */
  sendConcurrency: number | undefined;
  /** Give up collecting after this long, in seconds. @default 600 */
  timeoutSeconds: number;
  /** Write a CPU profile of the timed window (this process only) to this file. @default - none */
  cpuProfile: string | undefined;
  /** Print the JSON line only (no progress on stderr). @default false */
  json: boolean;
  /** Runs of the compiled `fanout run --local` (ten jobs) timed for `startup_ms`, after the benchmark; 0 skips it. @default 5 */
  startupRuns: number;
  /**
   * `--mode cli`: the CLI processes' semi-space cap in MB (`node --max-semi-space-size`, as `npm
   * start` runs the CLI); 0 runs them with Node's defaults (up to 64 MB here). @default 16
   */
  semiSpaceMb: number;
};

export const USAGE = `usage: npm run bench -- --jobs N [--mode all-in-one|cli] [--task square|burn|sleep] [--input MS] [--target embedded|localstack]
                            [--workers K] [--pollers P] [--pack N] [--receivers R] [--send-concurrency C]
                            [--timeout S] [--cpu-prof FILE] [--startup-runs K] [--semi-space-mb M] [--json]
  --mode M      all-in-one (default up to 1,000,000 jobs): everything in this process but worker processes;
                cli (default above): fanout local, fanout dispatch and fanout collect each in its own process
  --workers K   K worker processes (WorkerProcesses); 0 (default) = pollers in this process (cli mode: 2)
  --pollers P   pollers per process (default 2)
  --pack N, --receivers R, --send-concurrency C: override dispatch's jobs per message, collect's
                receivers and dispatch's SendMessageBatch calls in flight (default: theirs)
  --input MS    the constant input of a non-square task (default 10: burn spins 10 ms per job)
  --cpu-prof F  write a CPU profile of the timed window (this process only) to F
  --startup-runs K  time K runs of the compiled \`fanout run --local\` (ten jobs) for startup_ms (default 5; 0: skip)
  --semi-space-mb M  --mode cli: run the CLI processes with node --max-semi-space-size=M, as npm start does (default 16; 0: Node's default)
  --target localstack needs LOCALSTACK_ENDPOINT (e.g. from \`npm run -s localstack -- start\`)
The last stdout line is one JSON object.`;

export function parseBenchArgs(args: readonly string[]): BenchOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        jobs: { type: 'string' },
        mode: { type: 'string' },
        task: { type: 'string', default: 'square' },
        input: { type: 'string', default: '10' },
        target: { type: 'string', default: 'embedded' },
        workers: { type: 'string' },
        pollers: { type: 'string', default: '2' },
        pack: { type: 'string' },
        receivers: { type: 'string' },
        'send-concurrency': { type: 'string' },
        timeout: { type: 'string', default: '600' },
        json: { type: 'boolean', default: false },
        'cpu-prof': { type: 'string' },
        'startup-runs': { type: 'string', default: '5' },
        'semi-space-mb': { type: 'string', default: '16' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (values.jobs === undefined) throw new UsageError(`--jobs is required\n${USAGE}`);
  const task = oneOf('--task', BUILTIN_TASKS.names())(values.task);
  const jobs = integerFlag('--jobs', 1, 10_000_000)(values.jobs);
  const mode = values.mode === undefined ? (jobs > CLI_MODE_ABOVE_JOBS ? 'cli' : 'all-in-one') : oneOf('--mode', BENCH_MODES)(values.mode);
  return {
    jobs,
    mode,
    task,
    input: millisecondsFlag('--input', values.input),
    target: oneOf('--target', BENCH_TARGETS)(values.target),
    workers: integerFlag('--workers', 0, 64)(values.workers ?? (mode === 'cli' ? '2' : '0')),
    pollers: integerFlag('--pollers', 1, 64)(values.pollers),
    pack: values.pack === undefined ? undefined : integerFlag('--pack', 1, 100_000)(values.pack),
    receivers: values.receivers === undefined ? undefined : integerFlag('--receivers', 1, 64)(values.receivers),
    sendConcurrency: values['send-concurrency'] === undefined ? undefined : integerFlag('--send-concurrency', 1, 64)(values['send-concurrency']),
    timeoutSeconds: secondsFlag('--timeout', 1)(values.timeout),
    cpuProfile: values['cpu-prof'],
    json: values.json,
    startupRuns: integerFlag('--startup-runs', 0, 100)(values['startup-runs']),
    semiSpaceMb: integerFlag('--semi-space-mb', 0, 1024)(values['semi-space-mb']),
  };
}

function millisecondsFlag(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 60_000) {
    throw new UsageError(`${flag} must be a number of milliseconds from 0 to 60000 (given ${JSON.stringify(value)})`);
  }
  return n;
}

/** Job i's input: the index for `square`, the constant `--input` for every other task. */
export function jobInputs(options: Pick<BenchOptions, 'jobs' | 'task' | 'input'>): number[] {
  return options.task === 'square'
    ? Array.from({ length: options.jobs }, (_, i) => i)
    : new Array<number>(options.jobs).fill(options.input);
}
