/** The host-mode LocalStack process: is it alive, is it ours, and stopping it with its group. */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** The module host mode runs; a pid whose command line lacks it is not ours (pid reuse). */
export const RUNTIME_MODULE = 'localstack.runtime.main';

/** `/proc/<pid>/stat` fields after the command name: [state, ppid, pgrp, …]. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Running and not a zombie (a stopped child stays a zombie until its parent reaps it). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, but someone else's.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return statFields(pid)?.[0] !== 'Z';
}

/** Alive and really the LocalStack a start launched (guards against pid reuse after a reboot or a crash). */
export function isOurPid(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(RUNTIME_MODULE);
  } catch {
    // No /proc (not Linux): trust the pid file.
    return true;
  }
}

/** Signals the pid, and its process group when it leads one (start detaches it, so the group is what start launched). */
function signalTree(pid: number, signal: NodeJS.Signals): void {
  const leadsGroup = statFields(pid)?.[2] === String(pid);
  try {
    process.kill(leadsGroup ? -pid : pid, signal);
  } catch {
    // Already gone.
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < deadline) await sleep(100);
  return !pidAlive(pid);
}

/** SIGTERM, then SIGKILL after the grace period; resolves false if the process outlived both. */
export async function stopPid(pid: number, graceSeconds: number, log: (line: string) => void): Promise<boolean> {
  signalTree(pid, 'SIGTERM');
  if (await waitGone(pid, graceSeconds * 1000)) return true;
  log(`pid ${pid} still alive after ${graceSeconds} s, sending SIGKILL`);
  signalTree(pid, 'SIGKILL');
  return waitGone(pid, 5_000);
}
