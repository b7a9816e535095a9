import { defineTask } from './define-task.js';

/**
 * Throws with `input` as the message: a job that always fails, to see failures reported end to end.
 * `{ "fail": false, "value": x }` returns x instead, so one run can mix failing and passing jobs.
 */
export const fail = defineTask({
  name: 'fail',
  run: (input: unknown): unknown => {
    if (typeof input === 'object' && input !== null && (input as { fail?: unknown }).fail === false) {
      return (input as { value?: unknown }).value ?? null;
    }
    throw new Error(typeof input === 'string' ? input : `job failed on purpose: ${JSON.stringify(input)}`);
  },
});
