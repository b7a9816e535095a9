/**
 * Scratch directories for tests, all under one root per test run (FANOUT_TEST_TMP, made and
 * removed by test/scratch-setup.ts), so a run leaves nothing behind in the system temp folder.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SCRATCH_ENV = 'FANOUT_TEST_TMP';

/** The run's scratch root: the one the global setup made, else one per process (scripts, ad-hoc runs). */
export function scratchRoot(): string {
  let root = process.env[SCRATCH_ENV];
  if (!root) {
    root = join(tmpdir(), `fanout-test-${process.pid}`);
    process.env[SCRATCH_ENV] = root;
  }
  mkdirSync(root, { recursive: true });
  return root;
}

/** A fresh directory under the scratch root. */
export function scratchDir(prefix = 'fanout-'): Promise<string> {
  return mkdtemp(join(scratchRoot(), prefix));
}
