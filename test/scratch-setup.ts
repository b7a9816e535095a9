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
  const root = await mkdtemp(join(tmpdir(), 'fanout-test-'));
  process.env[SCRATCH_ENV] = root;
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
