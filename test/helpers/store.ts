/** A run store of a test's own, under the scratch root. */
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RunStore } from '../../cli/store/run-store.js';
import { scratchDir } from './scratch.js';

export async function openTestStore(prefix = 'store-'): Promise<{ store: RunStore; home: string }> {
  const home = await scratchDir(prefix);
  return { store: RunStore.open({ path: join(home, 'fanout.db') }), home };
}

/** The run store of the calling describe block: opened before its tests, closed after them. */
export function useTestStore(prefix: string): { readonly store: RunStore; readonly home: string } {
  let opened: { store: RunStore; home: string } | undefined;
  beforeAll(async () => {
    opened = await openTestStore(prefix);
  });
  afterAll(() => {
    opened?.store.close();
  });
  const current = () => {
    if (!opened) throw new Error(`the ${prefix} store is open from its describe block's beforeAll to its afterAll: use it in tests and hooks`);
    return opened;
  };
  return {
    get store() {
      return current().store;
    },
    get home() {
      return current().home;
    },
  };
}
