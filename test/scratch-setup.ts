/**
 * One temporary root for the whole test run, removed at the end: tests make their directories
 * under it (test/helpers/scratch.ts), so `npm test` leaves the system temp folder as it found it.
 * FANOUT_KEEP_TMP=1 keeps it for a post-mortem.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRATCH_ENV } from './helpers/scratch.js';

export default async function setup(): Promise<() => Promise<void>> {
  const outer = tmpdir();
  const root = await mkdtemp(join(outer, 'fanout-test-'));
  process.env[SCRATCH_ENV] = root;
  // For what must outlive the run: a failing fault run's evidence (it says where).
  process.env.FANOUT_TEST_OUTER_TMP = outer;
  // Tools that honour TMPDIR (cdk's asset staging, esbuild) write under the root too.
  process.env.TMPDIR = root;
  return async () => {
    if (process.env.FANOUT_KEEP_TMP === '1') {
      process.stderr.write(`[scratch] kept ${root}\n`);
      return;
    }
    await rm(root, { recursive: true, force: true });
  };
}
