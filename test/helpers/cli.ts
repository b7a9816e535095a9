/** Runs the real `fanout` CLI in a child process, from source. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUEUE_URL_ENV } from '../../cli/endpoint/queues.js';
import type { Target } from '../../cli/endpoint/target.js';
import { isProcessAlive } from '../../cli/processes.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Resolved here, not from the child's working directory (which may be anywhere, with no node_modules).
const tsx = import.meta.resolve('tsx');

export type CliResult = { code: number | null; stdout: string; stderr: string };

export type SpawnCliOptions = {
  /** Where the CLI runs (its fanout.config is looked for there). @default - the repository */
  cwd?: string;
  /**
   * The CLI leads its own process group, as a terminal's foreground job does:
   * `process.kill(-child.pid, 'SIGINT')` then signals the group, as Ctrl-C would. @default false
   */
  detached?: boolean;
};

/** @param options a SpawnCliOptions, or just the working directory */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}, options: SpawnCliOptions | string = {}): ChildProcess {
  return spawnScript('cli/bin.ts', args, env, options);
}

/** One of this repository's TypeScript entry points (`cli/bin.ts`, `bench/run.ts`, …) in a child process, through tsx. */
export function spawnScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}, options: SpawnCliOptions | string = {}): ChildProcess {
  const { cwd = root, detached = false } = typeof options === 'string' ? { cwd: options } : options;
  return spawn(process.execPath, ['--import', tsx, join(root, script), ...args], {
    cwd,
    env: { ...process.env, ...env, FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
}

/** The pids of a process's children whose command line contains `match` (`ps --ppid`). */
export function childPids(pid: number, match = ''): number[] {
  const out = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[2]!.includes(match))
    .map((m) => Number(m[1]));
}

/** True while a process exists (signal 0). */
export const isAlive = isProcessAlive;

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: SpawnCliOptions | string = {}): Promise<CliResult> {
  return runScript('cli/bin.ts', args, env, options);
}

/** Runs one of this repository's entry points to its end (see spawnScript). */
export function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}, options: SpawnCliOptions | string = {}): Promise<CliResult> {
  return outputOf(spawnScript(script, args, env, options));
}

/** A child's whole stdout and stderr, and its exit code, once it has closed them. */
export function outputOf(child: ChildProcess): Promise<CliResult> {
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
