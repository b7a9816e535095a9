/**
 * The run store's promises as a user meets them, through the real CLI over the real SQS protocol:
 * a full disk loses nothing (exit 4, queue untouched, then success), exports never destroy an
 * unrelated file or mix runs, a forged result is reported as a conflict (never kept silently),
 * an interrupted dispatch is said at once, and a bad --run is one line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { RunStore } from '../../cli/store/run-store.js';
import type { Target } from '../../cli/endpoint/target.js';
import { EXIT } from '../../cli/output/exit-codes.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { encodeResultMessage, runAttributes } from '../../functions/wire/contract.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { queueEnv, runCli } from '../helpers/cli.js';
import { eventually, queueDepth } from '../helpers/queue-peek.js';
import { scratchDir } from '../helpers/scratch.js';

describe.each(backendNames())('the run store through the CLI on %s', (backendName) => {
  const backend = useBackend(backendName);

  /** A fresh home with its store, and the CLI environment pointing at `target`. */
  async function home(target: Target) {
    const dir = await scratchDir('store-cli-');
    const store = RunStore.open({ path: join(dir, 'fanout.db') });
    const env = { FANOUT_HOME: dir, FANOUT_TARGET: backend.endpoint, ...queueEnv(target), ...backend.cliEnv };
    return { dir, store, env };
  }

  /** Results sent by hand to a run's own queue, as a worker would (or a forger). */
  async function sendResults(target: Target, store: RunStore, run: string, results: Parameters<typeof encodeResultMessage>[1]): Promise<void> {
    const url = store.requireRun(run).queues.results!;
    await target.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: encodeResultMessage(run, results), MessageAttributes: runAttributes(run) }));
  }

  it('fails with exit 4 when the disk is full, deletes nothing, and completes once there is room', async () => {
    // Prepare: 300 results of 2 KB waiting; a store capped far below what they need.
    const target = await backend.target({ finishedVisibilityTimeoutSeconds: 1 });
    const { store, env } = await home(target);
    const { run } = await dispatch({ target, store, task: 'square', inputs: { kind: 'count', count: 300 } });
    for (let i = 0; i < 300; i += 50) {
      await sendResults(target, store, run, Array.from({ length: 50 }, (_, j) => ({ id: i + j, ok: true as const, output: 'x'.repeat(2000), started: 1, ms: 1 })));
    }
    const size = (await import('node:fs')).statSync(store.path).size;
    store.close();
    // Act
    const full = await runCli(['collect', '--run', run, '--timeout', '10'], { ...env, FANOUT_STORE_MAX_BYTES: String(size + 8192) });
    // Assess: one line naming the cause and the file; every message still on the queue.
    expect(full.code, full.stderr).toBe(EXIT.storage);
    expect(full.stderr).toMatch(/^fanout: cannot write the run store .*fanout\.db: the disk is full \(or the database reached its size limit\); nothing was lost — run again once it is fixed\n$/);
    await eventually(async () => {
      const depth = await queueDepth(target.sqs, (await reopen(env.FANOUT_HOME)).requireRun(run).queues.results!);
      return depth.visible + depth.inFlight === 6;
    }, 20_000, 200);
    // Act: room again.
    const roomy = await runCli(['collect', '--run', run, '--timeout', '30'], env);
    // Assess
    expect(roomy.code, roomy.stderr).toBe(EXIT.ok);
    expect((await reopen(env.FANOUT_HOME)).requireRun(run).counts).toMatchObject({ done: 300, duplicates: 0 });
  });

  it('refuses to overwrite an unrelated file or another run\'s export with --out, and replaces its own', async () => {
    // Prepare: two complete runs.
    const target = await backend.target();
    const { dir, store, env } = await home(target);
    const poller = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    try {
      const first = await dispatch({ target, store, task: 'square', inputs: [1, 2] });
      const second = await dispatch({ target, store, task: 'square', inputs: [3] });
      const out = join(dir, 'results.jsonl');
      const unrelated = join(dir, 'notes.txt');
      await writeFile(unrelated, 'my precious notes\n');
      // Act
      const ownExport = await runCli(['collect', '--run', first.run, '--out', out], env);
      const again = await runCli(['collect', '--run', first.run, '--out', out], env);
      const otherRun = await runCli(['collect', '--run', second.run, '--out', out], env);
      const clobber = await runCli(['results', second.run, '--out', unrelated], env);
      const forced = await runCli(['results', second.run, '--out', unrelated, '--force', '--format', 'csv'], env);
      // Assess
      expect(ownExport.code, ownExport.stderr).toBe(EXIT.ok);
      expect(again.code, again.stderr).toBe(EXIT.ok);
      expect(otherRun.code).toBe(EXIT.usage);
      expect(otherRun.stderr).toMatch(/results\.jsonl exists and is not an earlier jsonl export of run .*: choose another --out, or pass --force/);
      expect((await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ run: first.run, job: 0, ok: true, output: 1 }),
        expect.objectContaining({ run: first.run, job: 1, ok: true, output: 4 }),
      ]);
      expect(clobber.code).toBe(EXIT.usage);
      expect(forced.code, forced.stderr).toBe(EXIT.ok);
      expect((await readFile(unrelated, 'utf8')).split('\n').slice(0, 2)).toEqual(['run,job,ok,output,error_name,error_message,started,ms,worker,attempt', expect.stringMatching(new RegExp(`^${second.run},0,true,9,`))]);
    } finally {
      await poller.stop({ abort: true });
    }
  });

  it('reports a forged result that came first as a conflict when the real one arrives, and exits 1', async () => {
    // Prepare: a forged outcome for job 0 stored before any worker runs.
    const target = await backend.target();
    const { store, env } = await home(target);
    const { run } = await dispatch({ target, store, task: 'square', inputs: [5, 6] });
    await sendResults(target, store, run, [{ id: 0, ok: true, output: 'forged', started: 1, ms: 1 }]);
    store.close();
    const early = await runCli(['collect', '--run', run, '--timeout', '1'], env);
    expect(early.code).toBe(EXIT.incomplete);
    // Act: the real workers run now.
    const poller = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    const collected = await runCli(['collect', '--run', run, '--timeout', '30'], env).finally(() => poller.stop({ abort: true }));
    // Assess
    expect(collected.code, collected.stderr).toBe(EXIT.jobsFailed);
    expect(collected.stderr).toContain('job 0 has conflicting results: kept ok "forged"; also received ok 25');
    expect(collected.stderr).toContain('1 conflicting result(s)');
    const stored = [...(await reopen(env.FANOUT_HOME)).results(run)].map((r) => r.ok && r.output);
    expect(stored).toEqual(['forged', 36]);
  });

  it('says at once that a dispatch was interrupted, instead of waiting for jobs never sent', async () => {
    // Prepare: a run whose dispatch stopped after its first window (no worker: nothing comes back).
    const target = await backend.target();
    const { store, env } = await home(target);
    const stop = new AbortController();
    const events = new (await import('../../cli/master/events.js')).MasterEmitter();
    events.once('sent', () => stop.abort());
    const report = await dispatch({ target, store, task: 'square', inputs: { kind: 'count', count: 5000 }, jobsPerMessage: 1, concurrency: 1, events, signal: stop.signal });
    expect(report).toMatchObject({ interrupted: true, jobsSent: 10 });
    await sendResults(target, store, report.run, Array.from({ length: 10 }, (_, id) => ({ id, ok: true as const, output: id * id, started: 1, ms: 1 })));
    store.close();
    // Act
    const started = Date.now();
    const collected = await runCli(['collect', '--run', report.run, '--timeout', '600'], env);
    // Assess: it ends as soon as the sent jobs are in (well before the 600 s timeout), and says how to go on.
    expect(Date.now() - started).toBeLessThan(300_000);
    expect(collected.code).toBe(EXIT.incomplete);
    expect(collected.stderr).toContain(`dispatch stopped after 10 job(s): send the rest with \`fanout dispatch --resume ${report.run}\``);
    const runs = await runCli(['runs', '--json'], env);
    expect(JSON.parse(runs.stdout.trim().split('\n')[0]!)).toMatchObject({ run: report.run, state: 'interrupted', jobs: 5000, ok: 10 });
  });

  it.each([
    ['a path for a run id', ['collect', '--run', '../../package'], /^fanout: --run must be a run id: 1-64 letters, digits, "-" or "_" \(given "\.\.\/\.\.\/package"\)\n$/],
    ['an unknown run', ['results', 'r-nope'], /^fanout: no run r-nope in the run store .*: `fanout runs` lists the runs here\n$/],
  ])('fails if given %s, in one line with exit 2', async (_, args, message) => {
    const target = await backend.target();
    const { env } = await home(target);
    const { code, stderr } = await runCli(args, env);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(message);
  });
});

async function reopen(dir: string | undefined): Promise<RunStore> {
  return RunStore.open({ path: join(dir!, 'fanout.db') });
}
