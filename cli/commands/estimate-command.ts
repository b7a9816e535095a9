/** `fanout estimate`: what a run would cost on Lambda and how long it would take, before it is sent. */
import { estimateJson, formatEstimate } from '../report/cost/index.js';
import { jsonLine, note } from '../output/reporter.js';
import { estimateFromSample } from '../estimate/estimate-from-sample.js';
import { lambdaSettings, prices, type CostFlags } from './cost-flags.js';
import { inputsSource, type InputsFlags } from './inputs-option.js';
import { loadTasks, pickTask, type TasksFlags } from './tasks-option.js';

export type EstimateFlags = InputsFlags & CostFlags & TasksFlags & { task?: string; sample: number; pack?: number; json?: boolean; formulas?: boolean };

export async function estimateCommand(flags: EstimateFlags): Promise<number> {
  const tasks = await loadTasks(flags);
  const task = pickTask(tasks, flags.task);
  const { estimate, sampled } = await estimateFromSample({ tasks: tasks.registry, task, inputs: inputsSource(flags), sample: flags.sample, jobsPerMessage: flags.pack, lambda: lambdaSettings(flags), prices: await prices(flags) });
  if (flags.json) {
    jsonLine('estimate', { task, sample: sampled, ...estimateJson(estimate) });
    return 0;
  }
  note(`sampled ${sampled.sampled} ${task} job(s) here: ${sampled.avgJobMs.toFixed(3)} ms each on average, outputs of ${Math.round(sampled.avgOutputBytes)} bytes${sampled.failedInSample ? `, ${sampled.failedInSample} failed` : ''}`);
  for (const line of formatEstimate(estimate, { formulas: flags.formulas })) process.stdout.write(`${line}\n`);
  return 0;
}
