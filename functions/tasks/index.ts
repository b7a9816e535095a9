/**
 * The task registry. To add a task: write `functions/tasks/<name>.ts` exporting a `Task`,
 * then add one line below. The worker (Lambda or local) runs whatever is registered here.
 */
import { burn } from './burn.js';
import { fail } from './fail.js';
import { sleep } from './sleep.js';
import { square } from './square.js';
import type { Task } from './types.js';

export const TASKS: Readonly<Record<string, Task>> = Object.freeze({
  square,
  burn,
  sleep,
  fail,
});

export function findTask(name: string): Task | undefined {
  return Object.hasOwn(TASKS, name) ? TASKS[name] : undefined;
}

export function taskNames(): string[] {
  return Object.keys(TASKS);
}

export type { Task } from './types.js';
