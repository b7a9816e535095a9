import { setTimeout as delay } from 'node:timers/promises';
import { defineTask } from './define-task.js';

/** Waits `input` milliseconds and returns them: a long, idle job (I/O-bound work, timeouts, heartbeats). */
export const sleep = defineTask({
  name: 'sleep',
  run: async (input: unknown): Promise<number> => {
    if (typeof input !== 'number' || !(input >= 0 && input <= 900_000)) {
      throw new TypeError(`sleep needs a number of milliseconds from 0 to 900000, got ${JSON.stringify(input)}`);
    }
    await delay(input);
    return input;
  },
});
