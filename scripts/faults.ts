/**
 * `npm run faults`: the fault-injection suite against the embedded SQS server.
 *
 *   tsx scripts/faults.ts [--seed N] [--jobs 10000] [--fuzz 1000] [--kills 5] [--restarts 2] [--pack 2]
 *                         [--collectors 3] [--dispatch-kills 3] [--json]
 *
 * One fan-out of `--jobs` jobs (task `fail`: ~10% planned to throw) under every fault at once:
 * the real `fanout dispatch` (a child process) killed with SIGKILL at seeded points and resumed
 * with `--resume` each time, transient SendMessageBatch failures injected by an SDK middleware in
 * the worker processes, `kill -9` of worker processes (respawned by the pool), re-sent job
 * messages and re-sent result messages (forced duplicates), `--collectors` collectors of the run
 * at once (the real CLI, each a child process), the first killed with `kill -9` and restarted,
 * garbage and forged results on the run's own result queue, and `--fuzz` malformed or hostile
 * bodies sent straight to the dispatched queue. Then two side runs: a collector over a full run
 * store, and conflicts on a quiet run. See test/faults/scenario.ts for the steps and
 * test/faults/accounting.ts for the exact accounting.
 *
 * TEST queue settings, not the deployed ones: dispatched visibility timeout 2 s (deployed 360 s),
 * finished visibility timeout 3 s (30 s), maxReceiveCount 4 (5), so that redeliveries and
 * dead-lettering happen within the run.
 *
 * Output: progress on stderr; on stdout the seed first and, as the LAST line, one JSON object:
 *   {"jobs","results","lost","duplicated","failed_reported","dead_lettered","fuzzed","fuzz_crashes","worker_kills","collector_restarts",
 *    "quarantined","concurrent_collectors","dispatch_kills","storage_full","conflicts_reported"}
 * With --json, stdout holds only JSON lines (`{"event":"seed"}`, `{"event":"accounting"}`, then the summary).
 * Exit status 0 only if lost = duplicated = fuzz_crashes = 0, every injected failure is accounted
 * for, every dispatch kill was resumed to the end, no collector of the run exited 3, the full store
 * held (exit 4, nothing stored, nothing deleted, then a clean collect) and every forged result was
 * reported as a conflict; 1 otherwise (the problems are listed on stderr); 2 for bad flags.
 * docs/faults.md has the whole table.
 * Replay a run with the seed it printed: `npm run faults -- --seed N` (the plan is replayed;
 * the timing of kills and faults relative to the work cannot be).
 */
import { parseArgs } from 'node:util';
import { runFaultScenario } from '../test/faults/scenario.js';
import { parseSeed, randomSeed } from '../test/faults/rng.js';

const USAGE = 'usage: tsx scripts/faults.ts [--seed N] [--jobs N] [--fuzz N] [--kills N] [--restarts N] [--pack N] [--collectors N] [--dispatch-kills N] [--json]';

function count(name: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new RangeError(`--${name} must be an integer ≥ ${min} (given ${JSON.stringify(value)})`);
  return n;
}

async function main(): Promise<number> {
  let flags;
  let settings;
  try {
    flags = parseArgs({
      options: {
        seed: { type: 'string' },
        jobs: { type: 'string' },
        fuzz: { type: 'string' },
        kills: { type: 'string' },
        restarts: { type: 'string' },
        pack: { type: 'string' },
        collectors: { type: 'string' },
        'dispatch-kills': { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
    }).values;
    settings = {
      seed: flags.seed === undefined ? randomSeed() : parseSeed(flags.seed),
      jobs: count('jobs', flags.jobs, 10_000, 1),
      fuzz: count('fuzz', flags.fuzz, 1000),
      kills: count('kills', flags.kills, 5),
      collectorRestarts: count('restarts', flags.restarts, 2),
      jobsPerMessage: count('pack', flags.pack, 2, 1),
      collectors: count('collectors', flags.collectors, 3, 1),
      dispatchKills: count('dispatch-kills', flags['dispatch-kills'], 3),
    };
  } catch (error) {
    process.stderr.write(`faults: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { seed } = settings;
  const json = flags.json ?? false;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(json ? JSON.stringify({ event: 'seed', seed }) : `seed ${seed} (replay: npm run faults -- --seed ${seed})`);

  let result;
  try {
    result = await runFaultScenario({
      ...settings,
      log: (message) => process.stderr.write(json ? `${JSON.stringify({ event: 'progress', message })}\n` : `${message}\n`),
    });
  } catch (error) {
    // The scenario itself broke (the server would not start, dispatch was refused): no verdict to print.
    process.stderr.write(`faults: the scenario failed (seed ${seed}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
  const { verdict, details } = result;
  const accounting = {
    seconds: Math.round(result.seconds * 10) / 10,
    main: verdict.main,
    fuzz: { ...verdict.fuzz, unaccounted: verdict.fuzz.unaccounted.slice(0, 20) },
    sendFaults: { ...verdict.sendFaults, jobsNotExactlyOnce: verdict.sendFaults.jobsNotExactlyOnce.slice(0, 20) },
    duplicates: result.evidence.duplicates,
    workerKills: result.evidence.workerKills,
    collector: result.evidence.collector,
    dispatch: { ...result.evidence.dispatch, finalStderr: result.evidence.dispatch.finalStderr.slice(-500) },
    crashes: result.evidence.crashes,
    details,
    problems: verdict.problems,
    home: result.home,
  };
  const compact = (value: unknown) => JSON.stringify(value, (key, v: unknown) => (key === 'lost' || key === 'duplicated' || key === 'wrong') && Array.isArray(v) ? v.slice(0, 20) : v);
  if (json) {
    out(compact({ event: 'accounting', seed, ok: verdict.ok, ...accounting }));
  } else {
    process.stderr.write(`accounting: ${compact(accounting)}\n`);
    for (const problem of verdict.problems) process.stderr.write(`FAIL: ${problem}\n`);
    out(`${verdict.ok ? 'PASS' : 'FAIL'} seed ${seed} in ${accounting.seconds} s`);
  }
  out(JSON.stringify(verdict.summary));
  return verdict.ok ? 0 : 1;
}

process.exitCode = await main();
