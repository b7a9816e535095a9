/**
 * A run's manifest: what dispatch sent, so collect knows what to expect and where to look.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UsageError } from '../../functions/wire/errors.js';
import { latestRunPath, runManifestPath } from './paths.js';

export type RunManifest = {
  version: 1;
  run: string;
  task: string;
  /** Jobs in the run; their ids are 0 … jobs-1. */
  jobs: number;
  messages: number;
  jobsPerMessage: number;
  /** The target dispatch used (`local`, `aws` or a URL), so collect goes to the same place. */
  target: string;
  /** The stack whose outputs named the queues, if any. */
  stack?: string;
  dispatchedAt: string;
};

export async function writeManifest(manifest: RunManifest, home?: string): Promise<string> {
  const path = runManifestPath(manifest.run, home);
  await mkdir(dirname(path), { recursive: true });
  // Written whole then renamed: a crash never leaves a half manifest.
  await writeFile(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
  await writeFile(latestRunPath(home), `${manifest.run}\n`);
  return path;
}

export async function readManifest(run: string | undefined, home?: string): Promise<RunManifest> {
  const id = run ?? (await readLatestRun(home));
  try {
    return JSON.parse(await readFile(runManifestPath(id, home), 'utf8')) as RunManifest;
  } catch {
    throw new UsageError(`no manifest for run ${id} (${runManifestPath(id, home)}): was it dispatched from this directory?`);
  }
}

async function readLatestRun(home?: string): Promise<string> {
  try {
    return (await readFile(latestRunPath(home), 'utf8')).trim();
  } catch {
    throw new UsageError('no run dispatched from this directory yet: run `fanout dispatch` first, or pass --run ID');
  }
}
