/**
 * Where fanout keeps its local state: run manifests, result files, the local runtime's endpoint.
 * One root (`.fanout/` in the working directory, or FANOUT_HOME), one function per path.
 */
import { join, resolve } from 'node:path';

export function fanoutHome(): string {
  return resolve(process.env.FANOUT_HOME ?? '.fanout');
}

export function runManifestPath(run: string, home = fanoutHome()): string {
  return join(home, 'runs', `${run}.json`);
}

export function runResultsPath(run: string, home = fanoutHome()): string {
  return join(home, 'runs', `${run}.results.jsonl`);
}

/** The run `collect` picks when none is named. */
export function latestRunPath(home = fanoutHome()): string {
  return join(home, 'runs', 'latest');
}

/** Written by `fanout local` while it runs: how other terminals reach it. */
export function localStatePath(home = fanoutHome()): string {
  return join(home, 'local.json');
}
