/**
 * Runs one message's jobs through a task, turning every outcome into a result: a job that
 * throws becomes `{ ok: false, error }`, never a retry of the whole message.
 */
import { MAX_JSON_DEPTH, withinDepth, type Job, type Json, type Result } from './wire/contract.js';
import { ContractError, errorInfo, UnknownTaskError } from './wire/errors.js';
import { findTask, taskNames } from './tasks/index.js';

export type RunJobsOptions = {
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

export async function runJobs(taskName: string, jobs: readonly Job[], options: RunJobsOptions = {}): Promise<RunJobsOutcome> {
  const task = findTask(taskName);
  if (!task) {
    const error = errorInfo(new UnknownTaskError(taskName, taskNames()));
    return { results: jobs.map((job) => ({ id: job.id, ok: false, error, ms: 0 })), unfinished: [] };
  }
  const results: Result[] = [];
  for (const [index, job] of jobs.entries()) {
    if (options.shouldStop?.()) return { results, unfinished: jobs.slice(index) };
    const started = performance.now();
    try {
      const output = await task(job.input);
      results.push({ id: job.id, ok: true, output: toJson(output), ms: elapsed(started) });
    } catch (error) {
      results.push({ id: job.id, ok: false, error: errorInfo(error), ms: elapsed(started) });
    }
  }
  return { results, unfinished: [] };
}

function elapsed(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}

/**
 * Tasks may return anything; the wire carries JSON. Plain values pass as they are (the common,
 * hot case); anything else is round-tripped so what the collector sees is what was sent.
 * `undefined` becomes null, as JSON.stringify does inside an array; a BigInt, a cycle or nesting
 * deeper than the contract allows throws, failing the job.
 */
function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const json = JSON.parse(JSON.stringify(value)) as Json;
  if (!withinDepth(json)) throw new ContractError(`the output nests deeper than ${MAX_JSON_DEPTH} levels`);
  return json;
}
