import { UsageError } from '../../functions/wire/errors.js';
import { redrive } from '../master/dead-letters/redrive.js';
import { readManifest } from '../master/manifest.js';
import { jsonLine, note } from '../output/reporter.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import { runTargetOptions, type TargetFlags } from './target-flags.js';

export type RedriveFlags = TargetFlags & { run?: string; all?: boolean; json?: boolean };

/** Moves a run's dead-lettered messages (or all, with --all) back to the dispatched queue. */
export async function redriveCommand(flags: RedriveFlags): Promise<number> {
  if (flags.all && flags.run) throw new UsageError('--run and --all exclude each other: give one');
  const manifest = flags.all ? undefined : await readManifest(flags.run);
  const target = await resolveTarget(runTargetOptions(flags, manifest));
  const report = await redrive({ target, run: manifest?.run });
  target.sqs.destroy();
  if (flags.json) jsonLine('redriven', { run: manifest?.run ?? null, ...report });
  else note(`moved ${report.messages} message(s) (${report.jobs} job(s)) of ${manifest ? `run ${manifest.run}` : 'every run'} back to the dispatched queue${report.failed ? `; ${report.failed} could not be sent and stay in the dead-letter queue` : ''}`);
  return report.failed > 0 ? 1 : 0;
}
