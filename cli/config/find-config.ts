/**
 * Finding and reading `fanout.config.{ts,mts,js,mjs}`: in the working directory only, like
 * `.fanout/` (the run store), so a project's config and its runs sit side by side.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../../functions/wire/errors.js';
import type { FanoutConfig } from './define-config.js';
import { importModule } from './import-module.js';

/** The names a config file may have, in the order they are looked for. */
export const CONFIG_FILES = ['fanout.config.ts', 'fanout.config.mts', 'fanout.config.js', 'fanout.config.mjs'] as const;

/** The config file in `dir`, if there is one; more than one is an error (which would win is a guess). */
export function findConfigFile(dir: string = process.cwd()): string | undefined {
  const found = CONFIG_FILES.map((name) => join(dir, name)).filter((path) => existsSync(path));
  if (found.length > 1) throw new UsageError(`${found.length} fanout config files in ${dir} (${found.map((p) => p.slice(dir.length + 1)).join(', ')}): keep one`);
  return found[0];
}

/** A config file's default export, checked; `tasks` made absolute (it is relative to the file). */
export async function readConfig(path: string): Promise<FanoutConfig> {
  const module = (await importModule(path, 'config file')) as { default?: unknown };
  const config = module.default;
  if (typeof config !== 'object' || config === null) {
    throw new UsageError(`${path}: the config file must \`export default\` an object, e.g. \`export default defineConfig({ tasks: './src/tasks.ts' })\``);
  }
  const { tasks, ...rest } = config as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new UsageError(`${path}: unknown config key ${JSON.stringify(unknown[0])} (known: tasks)`);
  if (tasks !== undefined && (typeof tasks !== 'string' || tasks === '')) {
    throw new UsageError(`${path}: \`tasks\` must be the path of your tasks module, relative to the config file (given ${JSON.stringify(tasks)})`);
  }
  return tasks === undefined ? {} : { tasks: resolve(dirname(path), tasks) };
}
