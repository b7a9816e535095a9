/**
 * The tasks a worker knows, by name: built from a task module (every exported `defineTask`), so
 * the module a user writes is the whole registration.
 */
import type { Task } from './define-task.js';
import { isTask } from './define-task.js';

export class TaskRegistry {
  readonly #tasks = new Map<string, Task>();

  /** @param modules objects whose values include tasks (`import * as tasks from './tasks.js'`); other values are ignored */
  constructor(...modules: object[]) {
    for (const module of modules) {
      for (const value of Object.values(module)) {
        if (!isTask(value)) continue;
        const known = this.#tasks.get(value.name);
        if (known && known !== value) throw new TypeError(`two tasks are named "${value.name}": task names must be unique`);
        this.#tasks.set(value.name, value);
      }
    }
  }

  find(name: string): Task | undefined {
    return this.#tasks.get(name);
  }

  names(): string[] {
    return [...this.#tasks.keys()];
  }

  get size(): number {
    return this.#tasks.size;
  }
}
