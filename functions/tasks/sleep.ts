import { setTimeout as delay } from 'node:timers/promises';
import type { Task } from './types.js';

/** Waits `input` milliseconds and returns them: a long, idle job (I/O-bound work, timeouts, heartbeats). */
export const sleep: Task = async (input) => {
  if (typeof input !== 'number' || !(input >= 0 && input <= 900_000)) {
    throw new TypeError(`sleep needs a number of milliseconds from 0 to 900000, got ${JSON.stringify(input)}`);
  }
  await delay(input);
  return input;
};
