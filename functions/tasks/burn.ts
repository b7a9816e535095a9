import { defineTask } from './define-task.js';

/**
 * A CPU-bound job for scaling runs: spins for `input` milliseconds (default 10) and
 * returns how many loop iterations fitted, so the work cannot be optimised away.
 */
export const burn = defineTask({
  name: 'burn',
  run: (input: unknown): number => {
    const ms = input ?? 10;
    if (typeof ms !== 'number' || !(ms >= 0 && ms <= 900_000)) {
      throw new TypeError(`burn needs a number of milliseconds from 0 to 900000, got ${JSON.stringify(input)}`);
    }
    const until = performance.now() + ms;
    let spins = 0;
    while (performance.now() < until) spins++;
    return spins;
  },
});
