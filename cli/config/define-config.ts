/**
 * `fanout.config.ts`: what a project tells fanout, in one file at its root. Today, where its tasks
 * are. The CLI (`fanout local`, `work`, `run`, `dispatch`) and `fanout()` read it from the working
 * directory; `--tasks PATH` overrides it.
 *
 * @example
 * // fanout.config.ts
 * import { defineConfig } from 'fanout/config';
 *
 * export default defineConfig({ tasks: './src/tasks.ts' });
 */

export type FanoutConfig = {
  /**
   * The tasks module, relative to this file: a TypeScript or JavaScript module whose exports
   * include tasks made with `defineTask` (from `fanout/task`). TypeScript is loaded with tsx.
   * @default - the built-in tasks (square, burn, sleep, fail)
   */
  tasks?: string;
};

/** Returns `config` as it is: the type checks it and the editor completes it. */
export function defineConfig(config: FanoutConfig): FanoutConfig {
  return config;
}
