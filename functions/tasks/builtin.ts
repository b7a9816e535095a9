/**
 * The built-in task module: what the worker runs when no tasks module of yours is configured.
 * A module of your own looks the same — export tasks made with `defineTask`.
 */
export { burn } from './burn.js';
export { fail } from './fail.js';
export { sleep } from './sleep.js';
export { square } from './square.js';
