/** A run store of a test's own, under the scratch root. */
import { join } from 'node:path';
import { RunStore } from '../../cli/store/run-store.js';
import { scratchDir } from './scratch.js';

export async function openTestStore(prefix = 'store-'): Promise<{ store: RunStore; home: string }> {
  const home = await scratchDir(prefix);
  return { store: RunStore.open({ path: join(home, 'fanout.db') }), home };
}
