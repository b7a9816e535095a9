/**
 * What `fanout local` records while it runs, so other terminals (`--target local`) can reach it:
 * its endpoint and the access key its server requires. The file is this user's alone (mode
 * 0600): whoever can read it can use the server.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../functions/wire/errors.js';
import { fanoutHome } from '../home.js';
import { claimFile, isProcessAlive } from '../processes.js';
import type { AccessKey } from './credentials.js';

export type LocalState = { endpoint: string; pid: number; startedAt: string; credentials: AccessKey };

export function localStatePath(home = fanoutHome()): string {
  return join(home, 'local.json');
}

/** Where `fanout local` keeps its queues and messages (unless --memory). */
export function localDataDir(home = fanoutHome()): string {
  return join(home, 'local');
}

/**
 * Records this `fanout local` (mode 0600: whoever reads it can use the server), unless a live one
 * is recorded already: of two started at once (both past `runningLocal`) one records itself and
 * the other is refused (claimFile). A record whose process is gone is taken over.
 */
export async function claimLocalState(state: LocalState, path = localStatePath()): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await claimFile(path, `${JSON.stringify(state)}\n`, async () => {
    const other = await runningLocal(path);
    return other && new UsageError(`a fanout local is already running here (pid ${other.pid}, ${other.endpoint}): use it, stop it, or set FANOUT_HOME elsewhere`);
  });
}

/** Removes the record if it is this process's (never another fanout local's). */
export async function releaseLocalState(path = localStatePath()): Promise<void> {
  const state = await readFile(path, 'utf8').then((text) => JSON.parse(text) as LocalState, () => undefined);
  if (state?.pid === process.pid) await rm(path, { force: true });
}

/** The `fanout local` recorded here, if it is still running (and its record is readable). */
export async function runningLocal(path = localStatePath()): Promise<LocalState | undefined> {
  const state = await readFile(path, 'utf8').then((text) => JSON.parse(text) as LocalState, () => undefined);
  return state && state.pid !== process.pid && isProcessAlive(state.pid) ? state : undefined;
}

export async function readLocalState(path = localStatePath()): Promise<LocalState> {
  let state: LocalState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as LocalState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EACCES') {
      throw new UsageError(`cannot read ${path}: the fanout local recorded there is another user's (its key is theirs alone)`);
    }
    throw new UsageError('no local fanout is running here: start `npx fanout local` in another terminal, or pass --target aws|URL');
  }
  if (!isProcessAlive(state.pid)) {
    throw new UsageError(`the local fanout recorded in ${path} (pid ${state.pid}) is gone: start \`npx fanout local\` again`);
  }
  return state;
}
