import type { Task } from './types.js';

/** The original framework's example job: i → i*i. */
export const square: Task = (input) => {
  if (typeof input !== 'number' || !Number.isFinite(input)) {
    throw new TypeError(`square needs a finite number, got ${JSON.stringify(input)}`);
  }
  return input * input;
};
