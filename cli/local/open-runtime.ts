/**
 * Where a run's jobs go, opened: a target to reach (`aws`, a URL, the running `fanout local`), or an
 * embedded runtime of this process's own — server, queues and workers running `tasks` — that lives
 * until `close()`. `fanout run --local` always starts one, `fanout run` never; `map()` starts one
 * only when no `fanout local` runs for the home.
 */
import type { TaskRegistry } from '../../functions/tasks/registry.js';
import { localStatePath, readLocalState } from '../endpoint/local-state.js';
import { resolveTarget, targetName } from '../endpoint/resolve-target.js';
import type { Target } from '../endpoint/target.js';
import { startLocalRuntime, type LocalRuntime } from './local-runtime.js';

export type OpenRuntimeOptions = {
  /** `local`, `aws` or an SQS endpoint URL. @default - FANOUT_TARGET, else `local` */
  target?: string;
  /**
   * When an embedded runtime is started: `always` (`fanout run --local`), `never` (the target as
   * given: `fanout run`), or, for the `local` target, only if no `fanout local` runs for `home`
   * (`map()`). @default 'if-none-running'
   */
  embedded?: 'always' | 'never' | 'if-none-running';
  /** The fanout home whose `fanout local` the `local` target means. @default - FANOUT_HOME, else ./.fanout */
  home?: string;
  /** The tasks an embedded runtime's workers run. */
  tasks: TaskRegistry;
  /** An embedded runtime's pollers. @default 2 */
  workers?: number;
  /** A deployed stack whose outputs name the queues. */
  stack?: string;
  /** A `cdk deploy --outputs-file` file. */
  outputsFile?: string;
};

export type OpenedRuntime = {
  target: Target;
  /** The embedded runtime this opened, if it did. */
  runtime: LocalRuntime | undefined;
  /** Stops the embedded runtime, or lets the target go. */
  close(): Promise<void>;
};

export async function openRuntime(options: OpenRuntimeOptions): Promise<OpenedRuntime> {
  const name = targetName(options.target);
  const embedded = options.embedded ?? 'if-none-running';
  if (embedded === 'always' || (embedded === 'if-none-running' && name === 'local' && !(await localRunning(options.home)))) {
    const runtime = await startLocalRuntime({ workers: { tasks: options.tasks, concurrency: options.workers ?? 2 } });
    return { target: runtime.target, runtime, close: () => runtime.stop() };
  }
  const target = await resolveTarget({ target: name, home: options.home, stack: options.stack, outputsFile: options.outputsFile });
  return { target, runtime: undefined, close: async () => target.close() };
}

async function localRunning(home: string | undefined): Promise<boolean> {
  return (await readLocalState(localStatePath(home)).catch(() => undefined)) !== undefined;
}
