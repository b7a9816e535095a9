/** Where the master keeps a run's files under the fanout home: manifests and result files. */
import { join } from 'node:path';
import { fanoutHome } from '../home.js';

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
