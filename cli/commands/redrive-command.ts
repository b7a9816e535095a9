/** `fanout redrive`: moves a run's dead-lettered job messages (or all, with --all) back to the dispatched queue. */
import { UsageError } from '../../functions/wire/errors.js';
import { redrive } from '../master/dead-letters/redrive.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import { jsonLine, note } from '../output/reporter.js';
import { pickRun, withStore } from './run-store.js';
import { runTargetOptions, type TargetFlags } from './target-flags.js';

export type RedriveFlags = TargetFlags & { run?: string; all?: boolean; json?: boolean };

/** Exits 1 if any message that should have moved is still in the dead-letter queue at the end. */
export async function redriveCommand(flags: RedriveFlags): Promise<number> {
  if (flags.all && flags.run) throw new UsageError('--run and --all exclude each other: give one');
  return withStore(async (store) => {
    const record = flags.all ? undefined : pickRun(store, flags.run);
    const target = await resolveTarget(runTargetOptions(flags, record));
    try {
      const report = await redrive({ target, run: record?.id });
      if (flags.json) {
        jsonLine('redriven', { run: record?.id ?? null, ...report });
      } else {
        const ofRun = record ? ` of run ${record.id}` : '';
        note(`moved ${report.messages} message(s) (${report.jobs} job(s))${ofRun || ' of every run'} back to the dispatched queue`);
        if (report.remaining > 0) {
          note(`${report.remaining} message(s)${ofRun} remain in the dead-letter queue${report.reason ? ` (${report.reason})` : ''}: fix that and run fanout redrive again`);
        } else {
          note(`no message${ofRun} remains in the dead-letter queue`);
        }
      }
      return report.remaining > 0 ? 1 : 0;
    } finally {
      target.close();
    }
  });
}
