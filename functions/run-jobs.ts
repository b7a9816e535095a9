/**
 * Runs one message's jobs through their task, turning every outcome into a result: a job that
 * throws, whose input fails the task's schema, or whose output cannot travel exactly as JSON
 * becomes `{ ok: false, error }` for that job alone — never a retry of the whole message, never
 * a cost to its neighbours.
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { TaskContext } from './tasks/define-task.js';
import type { TaskRegistry } from './tasks/registry.js';
import type { Job, Json, Result } from './wire/contract.js';
import { errorInfo, InputError, OutputError, UnknownTaskError } from './wire/errors.js';
import { jsonProblem } from './wire/json.js';

export type RunJobsOptions = {
  /** The run the jobs belong to (for the task's context). */
  run: string;
  /** Delivery attempt of their message. @default 1 */
  attempt?: number;
  /** Time left in the invocation, in ms. @default - unlimited */
  remainingTimeMs?: () => number;
  /**
   * Asked before each job; once it returns true, the remaining jobs are left unrun and returned
   * in `unfinished`, so a caller short of time can hand them on instead of losing them.
   * @default - never stop early
   */
  shouldStop?: () => boolean;
};

export type RunJobsOutcome = {
  results: Result[];
  /** Jobs not started because `shouldStop` said so. */
  unfinished: Job[];
};

export async function runJobs(registry: TaskRegistry, taskName: string, jobs: readonly Job[], options: RunJobsOptions): Promise<RunJobsOutcome> {
  const task = registry.find(taskName);
  if (!task) {
    const error = errorInfo(new UnknownTaskError(taskName, registry.names()));
    const started = Date.now();
    return { results: jobs.map((job) => ({ id: job.id, ok: false, error, started, ms: 0 })), unfinished: [] };
  }
  const remainingTimeMs = options.remainingTimeMs ?? (() => Number.POSITIVE_INFINITY);
  const attempt = options.attempt ?? 1;
  const results: Result[] = [];
  for (const [index, job] of jobs.entries()) {
    if (options.shouldStop?.()) return { results, unfinished: jobs.slice(index) };
    const t0 = performance.now();
    // Epoch ms to the microsecond: jobs a few µs long, one after another, must not seem to overlap.
    const started = Math.round((performance.timeOrigin + t0) * 1000) / 1000;
    try {
      const context: TaskContext = { jobId: job.id, run: options.run, attempt, remainingTimeMs };
      const input = task.input ? await validated(task.input, job.input, InputError, 'the input') : job.input;
      const returned = task.run(input as never, context);
      let output = returned instanceof Promise ? await returned : returned;
      if (task.output) output = await validated(task.output, output, OutputError, 'the output');
      const problem = jsonProblem(output, 'the output');
      if (problem) throw new OutputError(problem);
      results.push({ id: job.id, ok: true, output: output as Json, started, ms: elapsed(t0) });
    } catch (error) {
      results.push({ id: job.id, ok: false, error: errorInfo(error), started, ms: elapsed(t0) });
    }
  }
  return { results, unfinished: [] };
}

async function validated(schema: StandardSchemaV1, value: unknown, As: typeof InputError, what: string): Promise<unknown> {
  const outcome = await schema['~standard'].validate(value);
  if (!outcome.issues) return outcome.value;
  const [issue] = outcome.issues;
  const path = issue?.path?.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
  const more = outcome.issues.length > 1 ? ` (+${outcome.issues.length - 1} more)` : '';
  throw new As(`${what}${path ? ` at ${path}` : ''} does not match the task's schema: ${issue?.message ?? 'invalid'}${more}`);
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}
