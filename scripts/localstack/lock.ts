/**
 * A lock file that serialises start and stop of one state dir (two test runs in one checkout).
 * Taken by hard-linking a file that already holds our pid, so the lock never exists half-written;
 * a lock whose pid is dead (a killed run) is taken over.
 */
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalStackError } from './errors.js';
import { pidAlive } from './processes.js';

export async function withLock<T>(dir: string, timeoutSeconds: number, log: (line: string) => void, work: () => Promise<T>): Promise<T> {
  const lock = join(dir, 'lock');
  const mine = join(dir, `lock.${process.pid}`);
  writeFileSync(mine, `${process.pid}\n`);
  const deadline = Date.now() + timeoutSeconds * 1000;
  let told = false;
  try {
    for (;;) {
      try {
        linkSync(mine, lock);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = lockHolder(lock);
      if (holder === undefined) continue; // released meanwhile
      // Not a pid (e.g. the empty flock file scripts/localstack.sh left), or a dead one: stale.
      if (Number.isNaN(holder) || !pidAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() >= deadline) throw new LocalStackError(`${lock} is still held by pid ${holder} after ${timeoutSeconds} s: wait for it, or stop that process`);
      if (!told) log(`waiting for ${lock} (held by pid ${holder})`);
      told = true;
      await sleep(200);
    }
  } finally {
    rmSync(mine, { force: true });
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** The pid in the lock file, NaN if it holds none, undefined if the file is gone. */
function lockHolder(lock: string): number | undefined {
  try {
    const text = readFileSync(lock, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : NaN;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
