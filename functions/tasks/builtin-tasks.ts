/**
 * The registry of the built-in tasks (square, burn, sleep, fail): what a worker runs, and a project
 * loads, when no tasks module is given. Apart from `fanout/task` (index.ts), which holds only what a
 * tasks module of yours needs.
 */
import * as builtin from './builtin.js';
import { TaskRegistry } from './registry.js';

export const BUILTIN_TASKS = new TaskRegistry(builtin);
