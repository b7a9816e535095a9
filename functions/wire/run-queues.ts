/**
 * Each run's results travel on a queue of its own, named after the stack's finished queue:
 * `<finished queue name>-<run id>`. The master creates it at dispatch and deletes it once every
 * result is stored, so a collector never receives, holds or delays another run's results. A job
 * message names it (`reply`); the worker sends there only if it is one of its stack's run queues.
 */
import { isRunId } from './contract.js';
import { ContractError } from './errors.js';

/** SQS's longest queue name. */
export const MAX_QUEUE_NAME_LENGTH = 80;

/** The last path segment of a queue URL: its name. */
export function queueNameOf(url: string): string {
  return new URL(url).pathname.split('/').filter(Boolean).at(-1) ?? '';
}

/** The name of `run`'s result queue beside the finished queue `finishedQueueName`. */
export function runQueueName(finishedQueueName: string, run: string): string {
  const name = `${finishedQueueName}-${run}`;
  if (name.length > MAX_QUEUE_NAME_LENGTH) {
    throw new ContractError(`run id ${run} makes the result queue name ${name.length} characters long (SQS allows ${MAX_QUEUE_NAME_LENGTH}): use a shorter run id`);
  }
  return name;
}

/**
 * Where a worker sends the results of a job message that names `reply`: that queue, on the
 * finished queue's own origin, if it is a run queue of the same stack; else a ContractError (the
 * record is retried, then dead-lettered, never sent to a queue of someone else's choosing).
 */
export function replyQueueUrl(finishedQueueUrl: string, reply: string, run: string): string {
  const finished = new URL(finishedQueueUrl);
  const target = new URL(reply);
  const expected = `${finished.pathname.replace(/\/$/, '')}-${run}`;
  if (target.pathname !== expected || !isRunId(run)) {
    throw new ContractError(`reply queue ${reply} is not run ${run}'s result queue beside ${finishedQueueUrl}`);
  }
  return new URL(target.pathname, finished.origin).href;
}
