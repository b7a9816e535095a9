/**
 * `fanout local` as users run it, in a child process: its SQS server, its worker processes,
 * what it keeps on disk and who may talk to it.
 */
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/output/exit-codes.js';
import { runCli, spawnCli } from '../helpers/cli.js';
import { eventually } from '../helpers/queue-peek.js';
import { scratchDir } from '../helpers/scratch.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts `fanout local` in `home` and waits until it has recorded its endpoint. */
async function startLocal(home: string, args: string[] = []) {
  const local = spawnCli(['local', '--port', '0', ...args], { FANOUT_HOME: home, FANOUT_TARGET: '' });
  let stderr = '';
  local.stderr!.on('data', (d: Buffer) => (stderr += d));
  const exited = once(local, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  cleanups.push(async () => {
    if (local.exitCode === null && local.signalCode === null) local.kill('SIGKILL');
    await exited;
  });
  // Its own record: one left by a killed predecessor names another pid.
  const recorded = () => readFile(join(home, 'local.json'), 'utf8').then((text) => JSON.parse(text) as { endpoint: string; pid: number }, () => undefined);
  await eventually(async () => (await recorded())?.pid === local.pid, 30_000, 50);
  return { local, exited, endpoint: (await recorded())!.endpoint, stderr: () => stderr };
}

/** Queue depths, as `fanout status --json` reports them. */
async function depths(env: NodeJS.ProcessEnv): Promise<Record<'dispatched' | 'deadLetter' | 'finished', { visible: number; inFlight: number }>> {
  const { code, stdout, stderr } = await runCli(['status', '--json'], env);
  expect(code, stderr).toBe(EXIT.ok);
  return (JSON.parse(stdout) as { queues: never }).queues;
}

describe('fanout local', () => {
  it('keeps answering SQS while a CPU-bound job runs: ten jobs dispatched after a 20 s burn finish before it', async () => {
    // Prepare: one burn job running in a worker.
    const home = await scratchDir('local-burn-');
    const env = { FANOUT_HOME: home, FANOUT_TARGET: '' };
    await startLocal(home);
    const burnInputs = join(home, 'burn.jsonl');
    await writeFile(burnInputs, '20000\n');
    const burn = await runCli(['dispatch', '--task', 'burn', '--inputs', burnInputs], env);
    expect(burn.code, burn.stderr).toBe(EXIT.ok);
    const finishedFirst: string[] = [];
    const burnCollected = runCli(['collect', '--run', burn.stdout.trim(), '--timeout', '120'], env).then((r) => {
      finishedFirst.push('burn');
      return r;
    });
    // Act: ten square jobs while it burns.
    const squares = await runCli(['dispatch', '--count', '10'], env);
    expect(squares.code, squares.stderr).toBe(EXIT.ok);
    const squaresCollected = await runCli(['collect', '--run', squares.stdout.trim(), '--timeout', '120'], env);
    finishedFirst.push('squares');
    // Assess: the squares were done while the burn still ran; then the burn finished too.
    expect(squaresCollected.code, squaresCollected.stderr).toBe(EXIT.ok);
    expect((await burnCollected).code).toBe(EXIT.ok);
    expect(finishedFirst).toEqual(['squares', 'burn']);
  });

  it('loses nothing queued or in flight when killed with kill -9: after a restart, collect completes', async () => {
    // Prepare: one worker process (two pollers), one record per batch, six 3 s jobs in six messages.
    const home = await scratchDir('local-kill-');
    const env = { FANOUT_HOME: home, FANOUT_TARGET: '' };
    const first = await startLocal(home, ['--workers', '1', '--batch-size', '1']);
    const inputs = join(home, 'sleep.jsonl');
    await writeFile(inputs, '3000\n'.repeat(6));
    const dispatched = await runCli(['dispatch', '--task', 'sleep', '--inputs', inputs, '--pack', '1'], env);
    expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
    await eventually(async () => (await depths(env)).dispatched.inFlight > 0, 30_000, 200);
    // Act: kill -9 with jobs queued and in flight, then start again.
    first.local.kill('SIGKILL');
    await first.exited;
    const second = await startLocal(home);
    const collected = await runCli(['collect', '--timeout', '60', '--json'], env);
    // Assess
    expect(collected.code, `${collected.stderr}\n${second.stderr()}`).toBe(EXIT.ok);
    expect(collected.stdout).toContain('"done":6');
    expect(second.stderr()).toMatch(/found \d+ message\(s\), [1-9]\d* job message\(s\) in flight made receivable again/);
  });

  it('keeps queued jobs across Ctrl-C; --reset wipes them', async () => {
    // Prepare: a server with no workers and three queued jobs.
    const home = await scratchDir('local-reset-');
    const env = { FANOUT_HOME: home, FANOUT_TARGET: '' };
    const first = await startLocal(home, ['--workers', '0']);
    expect((await runCli(['dispatch', '--count', '3', '--pack', '1'], env)).code).toBe(EXIT.ok);
    first.local.kill('SIGINT');
    expect((await first.exited)[0]).toBe(0);
    // Act
    const kept = await startLocal(home, ['--workers', '0']);
    const afterRestart = await depths(env);
    kept.local.kill('SIGINT');
    await kept.exited;
    await startLocal(home, ['--workers', '0', '--reset']);
    const afterReset = await depths(env);
    // Assess
    expect(afterRestart.dispatched).toMatchObject({ visible: 3, inFlight: 0 });
    expect(afterReset.dispatched).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('fails if another fanout local is running in the same home, in one line', async () => {
    // Prepare
    const home = await scratchDir('local-twice-');
    const first = await startLocal(home, ['--workers', '0']);
    // Act: a second one that, were it to start, must not outlive the test.
    const child = spawnCli(['local', '--port', '0', '--workers', '0'], { FANOUT_HOME: home, FANOUT_TARGET: '' });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await closed;
    });
    const [code] = await closed;
    const second = { code, stderr };
    // Assess
    expect(second.code).toBe(EXIT.usage);
    expect(second.stderr).toBe(`fanout: a fanout local is already running here (pid ${first.local.pid}, ${first.endpoint}): use it, stop it, or set FANOUT_HOME elsewhere\n`);
  });

  it('of two started at once with --memory (no data directory to lock), one runs and the other is refused in one line', async () => {
    // Prepare
    const home = await scratchDir('local-race-');
    // Act: both start before either has recorded itself.
    const children = [0, 1].map(() => {
      const child = spawnCli(['local', '--port', '0', '--workers', '0', '--memory'], { FANOUT_HOME: home, FANOUT_TARGET: '' });
      const state = { child, stderr: '', code: undefined as number | null | undefined };
      child.stderr!.on('data', (d: Buffer) => (state.stderr += d));
      const closed = once(child, 'close').then(([code]) => (state.code = code as number | null));
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await closed;
      });
      return state;
    });
    // Each has either exited or announced its server.
    await eventually(async () => children.every((c) => c.code !== undefined || c.stderr.includes('fanout local: SQS on')), 30_000, 50);
    // Assess
    const refused = children.filter((c) => c.code !== undefined);
    const running = children.filter((c) => c.code === undefined);
    expect(refused.map((c) => c.code), children.map((c) => c.stderr).join('---\n')).toEqual([EXIT.usage]);
    expect(refused[0]!.stderr).toMatch(/^fanout: a fanout local is already running here \(pid \d+, http:\/\/127\.0\.0\.1:\d+\): use it, stop it, or set FANOUT_HOME elsewhere\n$/);
    const recorded = JSON.parse(await readFile(join(home, 'local.json'), 'utf8')) as { pid: number };
    expect(recorded.pid).toBe(running[0]!.child.pid);
  });

  it.each([
    ['a file is in the way of .fanout/local', (home: string) => writeFile(join(home, 'local'), 'x'), /^fanout: cannot keep the local queues in .*\/local: a file is in the way: move it, or start with --memory\n$/],
    ['its database is not one', async (home: string) => {
      await mkdir(join(home, 'local'));
      await writeFile(join(home, 'local', 'fauxqs.db'), 'not a database, not at all');
    }, /^fanout: cannot keep the local queues in .*\/local: its database is damaged or not fanout's \(file is not a database\): start with --reset \(wipes it\) or --memory\n$/],
  ])('fails in one line if %s', async (_, spoil, message) => {
    // Prepare
    const home = await scratchDir('local-spoilt-');
    await spoil(home);
    // Act
    const { code, stderr } = await runCli(['local', '--port', '0'], { FANOUT_HOME: home, FANOUT_TARGET: '' });
    // Assess
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(message);
  });
});
