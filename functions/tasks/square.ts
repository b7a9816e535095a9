import { defineTask } from './define-task.js';

/** The original framework's example job: i → i*i. */
export const square = defineTask({
  name: 'square',
  run: (input: unknown): number => {
    if (typeof input !== 'number' || !Number.isFinite(input)) {
      throw new TypeError(`square needs a finite number, got ${JSON.stringify(input)}`);
    }
    return input * input;
  },
});
