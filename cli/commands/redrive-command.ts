/** `fanout redrive`: moves a run's dead-lettered job messages (or all, with --all) back to the dispatched queue. */
import { UsageError } from '../../functions/wire/errors.js';
import { redrive } from '../master/dead-letters/redrive.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import { jsonLine, note } from '../output/reporter.js';
import { pickRun, withStore } from './run-store.js';
import { runTargetOptions, type TargetFlags } from './target-flags.js';

export type RedriveFlags = TargetFlags & { run?: string; all?: boolean; json?: boolean };

export async function redriveCommand(flags: RedriveFlags): Promise<number> {
  if (flags.all && flags.run) throw new UsageError('--run and --all exclude each other: give one');
  return withStore(async (store) => {
    const record = flags.all ? undefined : pickRun(store, flags.run);
    const target = await resolveTarget(runTargetOptions(flags, record));
    try {
      const report = await redrive({ target, run: record?.id });
      if (flags.json) jsonLine('redriven', { run: record?.id ?? null, ...report });
      else note(`moved ${report.messages} message(s) (${report.jobs} job(s)) of ${record ? `run ${record.id}` : 'every run'} back to the dispatched queue${report.failed ? `; ${report.failed} could not be sent and stay in the dead-letter queue` : ''}`);
      return report.failed > 0 ? 1 : 0;
    } finally {
      target.close();
    }
  });
}
