/**
 * The whole `fanout run --local` command for ten jobs, compiled (`node dist/cli/bin.js`, what
 * the installed `fanout` and `npm start` run), timed from spawn to exit: `startup_ms` of the
 * benchmark's JSON line. Each run gets a fresh FANOUT_HOME; the compile cache is the user's
 * (warm after the first run, as on any machine that ran fanout before).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The compiled CLI, built by `npm ci` (prepare) or `npm run build`. */
export const COMPILED_BIN = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));

/** Wall time of one `fanout run --local` (ten jobs), in ms; rejects if it fails. */
export async function timeRunLocal(): Promise<number> {
  const home = await mkdtemp(join(tmpdir(), 'fanout-startup-'));
  try {
    const started = performance.now();
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [COMPILED_BIN, 'run', '--local'], { cwd: home, env: { ...process.env, FANOUT_HOME: join(home, '.fanout') }, stdio: 'ignore' });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`fanout run --local exited ${code}`);
    return ms;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * Median wall time of `runs` runs of `fanout run --local`, in ms, after one untimed run (which
 * fills the compile cache if it was empty); undefined when dist/ is not built.
 */
export async function measureStartup(runs = 5): Promise<number | undefined> {
  if (!existsSync(COMPILED_BIN)) return undefined;
  await timeRunLocal();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timeRunLocal());
  times.sort((a, b) => a - b);
  return Math.round(times[times.length >> 1]!);
}
