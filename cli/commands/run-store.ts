/** The run store as the commands use it: opened once per command, a run picked by --run or the latest. */
import { UsageError } from '../../functions/wire/errors.js';
import { RunStore } from '../store/run-store.js';
import type { RunRecord } from '../store/types.js';

/** Opens the store of this directory (or FANOUT_HOME), runs `work`, closes it. */
export async function withStore<T>(work: (store: RunStore) => Promise<T>): Promise<T> {
  const store = RunStore.open();
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

/** The run named by `--run`, else the newest one. */
export function pickRun(store: RunStore, run: string | undefined): RunRecord {
  if (run !== undefined) return store.requireRun(run);
  const latest = store.latestRun();
  if (!latest) throw new UsageError('no run dispatched from this directory yet: run `fanout dispatch` first, or pass --run ID');
  return latest;
}
