/** `--tasks PATH` and `--task NAME`: which tasks module, and which of its tasks a run uses. */
import { relative } from 'node:path';
import { UnknownTaskError, UsageError } from '../../functions/wire/errors.js';
import { resolveTasks, type LoadedTasks } from '../config/load-tasks.js';

export type TasksFlags = { tasks?: string };

/** `--tasks`, else the working directory's fanout.config, else the built-in tasks. */
export function loadTasks(flags: TasksFlags): Promise<LoadedTasks> {
  return resolveTasks(flags.tasks);
}

/** `--task`, checked against the tasks; without it, `square` for the built-in tasks, or a module's only task. */
export function pickTask(loaded: LoadedTasks, task: string | undefined): string {
  const names = loaded.registry.names();
  if (task !== undefined) {
    if (!loaded.registry.find(task)) throw new UnknownTaskError(task, names);
    return task;
  }
  if (loaded.module === undefined) return 'square';
  if (names.length === 1) return names[0]!;
  throw new UsageError(`--task is needed: ${relative(process.cwd(), loaded.module)} has ${names.length} tasks (${names.join(', ')})`);
}

/** "cube, word-count (src/tasks.ts)": for the lines a command prints on start. */
export function describeTasks(loaded: LoadedTasks): string {
  return `${loaded.registry.names().join(', ')} (${loaded.module === undefined ? 'built-in' : relative(process.cwd(), loaded.module)})`;
}
