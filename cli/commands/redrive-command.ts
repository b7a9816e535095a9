import { ConfigError } from '../../functions/wire/errors.js';
import { redrive } from '../master/dead-letters/redrive.js';
import { readManifest } from '../master/manifest.js';
import { jsonLine, note } from '../output/reporter.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import { runTargetOptions, type TargetFlags } from './target-flags.js';

export type RedriveFlags = TargetFlags & { run?: string; all?: boolean; json?: boolean };

/**
 * Moves a run's dead-lettered messages (or all, with --all) back to the dispatched queue.
 * Exits 1 if any of them is still in the dead-letter queue at the end.
 */
export async function redriveCommand(flags: RedriveFlags): Promise<number> {
  if (flags.all && flags.run) throw new ConfigError('--run and --all exclude each other: give one');
  const manifest = flags.all ? undefined : await readManifest(flags.run);
  const target = await resolveTarget(runTargetOptions(flags, manifest));
  const report = await redrive({ target, run: manifest?.run }).finally(() => target.sqs.destroy());
  if (flags.json) {
    jsonLine('redriven', { run: manifest?.run ?? null, ...report });
  } else {
    const ofRun = manifest ? ` of run ${manifest.run}` : '';
    note(`moved ${report.messages} message(s) (${report.jobs} job(s))${ofRun || ' of every run'} back to the dispatched queue`);
    if (report.remaining > 0) {
      note(`${report.remaining} message(s)${ofRun} remain in the dead-letter queue${report.reason ? ` (${report.reason})` : ''}: fix that and run fanout redrive again`);
    } else {
      note(`no message${ofRun} remains in the dead-letter queue`);
    }
  }
  return report.remaining > 0 ? 1 : 0;
}
