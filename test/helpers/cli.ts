/** Runs the real `fanout` CLI in a child process, from source. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUEUE_URL_ENV } from '../../cli/endpoint/queues.js';
import type { Target } from '../../cli/endpoint/target.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** @param cwd where the CLI runs (its fanout.config is looked for there) @default - the repository */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'cli/bin.ts'), ...args], {
    cwd,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = root): Promise<CliResult> {
  const child = spawnCli(args, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The environment that points the CLI at one test's (suffixed) queues. */
export function queueEnv(target: Target): NodeJS.ProcessEnv {
  return {
    [QUEUE_URL_ENV.dispatched]: target.queues.dispatched.url,
    [QUEUE_URL_ENV.deadLetter]: target.queues.deadLetter.url,
    [QUEUE_URL_ENV.finished]: target.queues.finished.url,
  };
}
