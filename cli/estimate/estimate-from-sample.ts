/**
 * What a run would cost on Lambda, before it is sent: a sample of its jobs is run here to measure
 * their time and output size, and the run is priced from that (`fanout estimate`, `dispatch
 * --max-cost`).
 */
import { runJobs } from '../../functions/run-jobs.js';
import type { TaskRegistry } from '../../functions/tasks/registry.js';
import { UsageError } from '../../functions/wire/errors.js';
import { byteLength, toWire } from '../../functions/wire/json.js';
import { readInputs, type InputsSource } from '../master/dispatch/inputs.js';
import { autoJobsPerMessage, PACKING } from '../master/dispatch/pack-size.js';
import { estimateRun, type LambdaSettings, type PriceTable, type RunEstimate } from '../report/cost/index.js';

export type SampleOptions = {
  tasks: TaskRegistry;
  task: string;
  inputs: InputsSource;
  /** Jobs run here to measure time and output size. */
  sample: number;
  /** Jobs per message, as dispatch would choose for AWS. @default - autoJobsPerMessage */
  jobsPerMessage?: number;
};

export type SampledRun = { jobs: number; avgInputBytes: number; avgOutputBytes: number; avgJobMs: number; maxJobMs: number; sampled: number; failedInSample: number };

/**
 * Reads the inputs once (counting them and their size), keeps `sample` of them spread evenly
 * (reservoir sampling, seeded: the same inputs give the same sample), and runs those here.
 */
export async function sampleRun(options: SampleOptions): Promise<SampledRun> {
  if (!options.tasks.find(options.task)) throw new UsageError(`unknown task "${options.task}" (known: ${options.tasks.names().join(', ')})`);
  let jobs = 0;
  let inputBytes = 0;
  const reservoir: Array<{ id: number; input: never }> = [];
  let seed = 0x9e3779b9;
  const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  for await (const input of readInputs(options.inputs)) {
    inputBytes += byteLength(toWire(input.value));
    if (reservoir.length < options.sample) reservoir.push({ id: jobs, input: input.value as never });
    else {
      const slot = Math.floor(random() * (jobs + 1));
      if (slot < options.sample) reservoir[slot] = { id: jobs, input: input.value as never };
    }
    jobs++;
  }
  if (jobs === 0) throw new UsageError('nothing to estimate: no inputs');
  const { results } = await runJobs(options.tasks, options.task, reservoir, { run: 'estimate' });
  const ok = results.filter((r) => r.ok);
  return {
    jobs,
    avgInputBytes: inputBytes / jobs,
    avgOutputBytes: ok.length > 0 ? ok.reduce((sum, r) => sum + byteLength(toWire(r.ok ? r.output : null)), 0) / ok.length : 0,
    avgJobMs: results.length > 0 ? results.reduce((sum, r) => sum + r.ms, 0) / results.length : 0,
    maxJobMs: results.reduce((max, r) => Math.max(max, r.ms), 0),
    sampled: results.length,
    failedInSample: results.length - ok.length,
  };
}

/** The estimate of a run on Lambda, from a sample run here. */
export async function estimateFromSample(options: SampleOptions & { lambda: LambdaSettings; prices: PriceTable }): Promise<{ estimate: RunEstimate; sampled: SampledRun }> {
  const sampled = await sampleRun(options);
  const estimate = estimateRun({
    jobs: sampled.jobs,
    jobsPerMessage: options.jobsPerMessage ?? autoJobsPerMessage(sampled.jobs, PACKING.parallelMessages),
    avgInputBytes: sampled.avgInputBytes,
    avgOutputBytes: sampled.avgOutputBytes,
    avgJobMs: sampled.avgJobMs,
    maxJobMs: sampled.maxJobMs,
    lambda: options.lambda,
    prices: options.prices,
  });
  return { estimate, sampled };
}
