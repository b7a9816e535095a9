/**
 * `fanout run`: dispatch then collect in one go. With `--local`, on a fresh embedded runtime with
 * local workers: the original framework's demo, printing "Dispatch job i" and "Finished job i".
 */
import { UsageError } from '../../functions/wire/errors.js';
import { dispatch } from '../master/dispatch/dispatch.js';
import { MasterEmitter } from '../master/events.js';
import { startLocalRuntime, type LocalRuntime } from '../local/local-runtime.js';
import { jsonLine, note, outputMode } from '../output/reporter.js';
import { exitCodeOf } from '../output/summary.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import type { Target } from '../endpoint/target.js';
import { collectWithOutput } from './collect-command.js';
import { resolveInputs, type InputsFlags } from './inputs-option.js';
import type { TargetFlags } from './target-flags.js';

export type RunFlags = InputsFlags & TargetFlags & {
  local?: boolean;
  task: string;
  timeout: number;
  json?: boolean;
  pack?: number;
  workers: number;
};

/** Above this many jobs, per-job lines give way to the progress display. */
const PER_JOB_LINES = 100;

export async function runCommand(flags: RunFlags): Promise<number> {
  if (flags.local && flags.target) throw new UsageError('--local and --target exclude each other: --local runs on its own embedded server');
  const inputs = await resolveInputs(flags);
  let runtime: LocalRuntime | undefined;
  let target: Target;
  if (flags.local) {
    runtime = await startLocalRuntime({ workers: { concurrency: flags.workers } });
    runtime.workers?.on('error', (error) => note(`worker: ${error.message}`));
    target = runtime.target;
  } else {
    target = await resolveTarget(flags);
  }
  try {
    const mode = outputMode(flags.json);
    const perJob = mode !== 'json' && inputs.length <= PER_JOB_LINES;
    const report = await dispatch({ target, task: flags.task, inputs, jobsPerMessage: flags.pack });
    if (mode === 'json') jsonLine('dispatched', { ...report, task: flags.task, target: flags.local ? 'embedded' : target.name });
    else if (perJob) for (let id = 0; id < report.jobs; id++) process.stdout.write(`Dispatch job ${id}\n`);
    else note(`dispatched ${report.jobs} jobs in ${report.messages} messages (run ${report.run})`);

    const events = new MasterEmitter();
    if (perJob) {
      events.on('result', ({ result }) =>
        process.stdout.write(result.ok ? `Finished job ${result.id}: ${JSON.stringify(result.output)}\n` : `Failed job ${result.id}: ${result.error.name}: ${result.error.message}\n`),
      );
    }
    const collected = await collectWithOutput(target, report, { ...flags, json: flags.json }, events);
    return exitCodeOf(collected);
  } finally {
    if (runtime) await runtime.stop();
    else target.sqs.destroy();
  }
}
