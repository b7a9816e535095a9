/** `fanout results [RUN]`: a run's stored results, as JSON lines, CSV or JSON, to stdout or a file. */
import { once } from 'node:events';
import { exportChunks, exportResults } from '../store/export-results.js';
import { note } from '../output/reporter.js';
import type { ExportFlags } from './collect-command.js';
import { pickRun, withStore } from './run-store.js';

export type ResultsFlags = ExportFlags & { run?: string };

export async function resultsCommand(run: string | undefined, flags: ResultsFlags): Promise<number> {
  return withStore(async (store) => {
    const record = pickRun(store, run ?? flags.run);
    if (flags.out !== undefined) {
      const written = await exportResults(store, record.id, { path: flags.out, format: flags.format, force: flags.force });
      note(`wrote ${written} result(s) of run ${record.id} to ${flags.out}`);
      return 0;
    }
    for (const chunk of exportChunks(store, record.id, flags.format)) {
      if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
    }
    return 0;
  });
}
