/**
 * The tasks a command or a client works with: `--tasks PATH` (or a path given in code), else the
 * `tasks` of the working directory's `fanout.config.*`, else the built-in ones. A path is kept
 * with the registry, so that worker processes can load the same module.
 */
import { BUILTIN_TASKS } from '../../functions/tasks/builtin-tasks.js';
import { TaskRegistry } from '../../functions/tasks/registry.js';
import { UsageError } from '../../functions/wire/errors.js';
import { resolve } from 'node:path';
import { findConfigFile, readConfig } from './find-config.js';
import { importModule } from './import-module.js';

export type LoadedTasks = {
  registry: TaskRegistry;
  /** The module's absolute path; undefined for the built-in tasks or a module given as an object. */
  module: string | undefined;
  /** Where the choice came from, for messages: "--tasks", "fanout.config.ts", "built-in". */
  source: string;
};

/** A tasks module by path: every task it exports, made with `defineTask`. */
export async function loadTaskModule(path: string): Promise<TaskRegistry> {
  const module = await importModule(path, 'tasks module');
  let registry: TaskRegistry;
  try {
    registry = new TaskRegistry(module);
  } catch (error) {
    throw new UsageError(`tasks module ${path}: ${(error as Error).message}`);
  }
  if (registry.size === 0) throw new UsageError(`tasks module ${path} exports no task: export tasks made with defineTask (import { defineTask } from 'fanout/task')`);
  return registry;
}

/**
 * @param path `--tasks`: overrides the config file
 * @param dir where to look for the config file @default - the working directory
 */
export async function resolveTasks(path?: string, dir: string = process.cwd()): Promise<LoadedTasks> {
  if (path !== undefined) {
    return { registry: await loadTaskModule(path), module: resolve(path), source: '--tasks' };
  }
  const config = findConfigFile(dir);
  const tasks = config ? (await readConfig(config)).tasks : undefined;
  if (config && tasks) return { registry: await loadTaskModule(tasks), module: tasks, source: config };
  return { registry: BUILTIN_TASKS, module: undefined, source: 'built-in' };
}
