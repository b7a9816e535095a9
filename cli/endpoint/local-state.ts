/**
 * What `fanout local` records while it runs, so other terminals (`--target local`) can reach it.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../functions/wire/errors.js';
import { fanoutHome } from '../home.js';
import { isProcessAlive } from '../processes.js';

export type LocalState = { endpoint: string; pid: number; startedAt: string };

export function localStatePath(home = fanoutHome()): string {
  return join(home, 'local.json');
}

export async function writeLocalState(state: LocalState, path = localStatePath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(state)}\n`);
}

export async function removeLocalState(path = localStatePath()): Promise<void> {
  await rm(path, { force: true });
}

export async function readLocalState(path = localStatePath()): Promise<LocalState> {
  let state: LocalState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as LocalState;
  } catch {
    throw new UsageError('no local fanout is running here: start `npx fanout local` in another terminal, or pass --target aws|URL');
  }
  if (!isProcessAlive(state.pid)) {
    throw new UsageError(`the local fanout recorded in ${path} (pid ${state.pid}) is gone: start \`npx fanout local\` again`);
  }
  return state;
}
