import { dispatch } from '../master/dispatch/dispatch.js';
import { MasterEmitter } from '../master/events.js';
import { jsonLine, note } from '../output/reporter.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import { resolveInputs, type InputsFlags } from './inputs-option.js';
import type { TargetFlags } from './target-flags.js';

export type DispatchFlags = InputsFlags & TargetFlags & { task: string; pack?: number; json?: boolean };

/** Sends the jobs; prints the run id alone on stdout (`RUN=$(fanout dispatch)`), the rest on stderr. */
export async function dispatchCommand(flags: DispatchFlags): Promise<number> {
  const inputs = await resolveInputs(flags);
  const target = await resolveTarget(flags);
  const events = new MasterEmitter();
  const report = await dispatch({ target, task: flags.task, inputs, jobsPerMessage: flags.pack, events, stack: flags.stack });
  target.sqs.destroy();
  if (flags.json) {
    jsonLine('dispatched', { ...report, task: flags.task, target: target.name, endpoint: target.where });
  } else {
    note(`dispatched ${report.jobs} ${flags.task} job(s) in ${report.messages} message(s) to ${target.name} (${target.where})`);
    process.stdout.write(`${report.run}\n`);
  }
  return 0;
}
