/**
 * What `fanout local` records while it runs, so other terminals (`--target local`) can reach it.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../functions/wire/errors.js';
import { fanoutHome } from '../home.js';

export type LocalState = { endpoint: string; pid: number; startedAt: string };

export function localStatePath(home = fanoutHome()): string {
  return join(home, 'local.json');
}

/** Where `fanout local` keeps its queues and messages (unless --memory). */
export function localDataDir(home = fanoutHome()): string {
  return join(home, 'local');
}

export async function writeLocalState(state: LocalState, path = localStatePath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state)}\n`);
}

export async function removeLocalState(path = localStatePath()): Promise<void> {
  await rm(path, { force: true });
}

/** The `fanout local` recorded here, if it is still running. */
export async function runningLocal(path = localStatePath()): Promise<LocalState | undefined> {
  const state = await readFile(path, 'utf8').then((text) => JSON.parse(text) as LocalState, () => undefined);
  return state && state.pid !== process.pid && isAlive(state.pid) ? state : undefined;
}

export async function readLocalState(path = localStatePath()): Promise<LocalState> {
  let state: LocalState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as LocalState;
  } catch {
    throw new UsageError('no local fanout is running here: start `npx fanout local` in another terminal, or pass --target aws|URL');
  }
  if (!isAlive(state.pid)) {
    throw new UsageError(`the local fanout recorded in ${path} (pid ${state.pid}) is gone: start \`npx fanout local\` again`);
  }
  return state;
}

/** True while a process exists (one of another user counts too). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
