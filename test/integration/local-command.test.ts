/**
 * `fanout local` as users run it, in a child process: its SQS server, its worker processes,
 * what it keeps on disk and who may talk to it.
 */
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
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
  await eventually(() => readFile(join(home, 'local.json'), 'utf8').then(() => true, () => false), 30_000, 50);
  const state = JSON.parse(await readFile(join(home, 'local.json'), 'utf8')) as { endpoint: string };
  return { local, exited, endpoint: state.endpoint, stderr: () => stderr };
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
});
