/**
 * Tasks: declared with `defineTask`, grouped in modules, looked up by name in a `TaskRegistry`.
 * `fanout/task` (this module) is light enough to import from a Lambda bundle.
 */
import * as builtin from './builtin.js';
import { TaskRegistry } from './registry.js';

export { defineTask, isTask, type Task, type TaskContext, type TaskDefinition, type TaskInput, type TaskOutput } from './define-task.js';
export { TaskRegistry } from './registry.js';
export * as builtinTasks from './builtin.js';

/** The registry of the built-in tasks (square, burn, sleep, fail). */
export const BUILTIN_TASKS = new TaskRegistry(builtin);
