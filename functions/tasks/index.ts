/**
 * `fanout/task`: all a tasks module needs. Tasks are declared with `defineTask`, grouped in modules,
 * looked up by name in a `TaskRegistry`. Light enough to import from a Lambda bundle.
 */
export { defineTask, type Task, type TaskContext, type TaskDefinition, type TaskInput, type TaskOutput } from './define-task.js';
export { TaskRegistry } from './registry.js';
