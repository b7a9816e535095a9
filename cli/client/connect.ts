/**
 * Where a client's jobs go. `local` is the `fanout local` running for this home if there is one,
 * else an embedded runtime of the client's own (server, queues, workers running its tasks), which
 * lives until the client closes.
 */
import type { TaskRegistry } from '../../functions/tasks/registry.js';
import { readLocalState, localStatePath } from '../endpoint/local-state.js';
import { resolveTarget, targetName } from '../endpoint/resolve-target.js';
import type { Target } from '../endpoint/target.js';
import { startLocalRuntime, type LocalRuntime } from '../local/local-runtime.js';

export type Connected = {
  target: Target;
  /** The embedded runtime this client started, if it did. */
  runtime: LocalRuntime | undefined;
  close(): Promise<void>;
};

export type ConnectOptions = {
  target: string | undefined;
  home: string;
  tasks: TaskRegistry;
  stack: string | undefined;
  outputsFile: string | undefined;
  workers: number | undefined;
};

export async function connect(options: ConnectOptions): Promise<Connected> {
  const name = targetName(options.target);
  if (name === 'local') {
    const running = await readLocalState(localStatePath(options.home)).catch(() => undefined);
    if (!running) {
      const runtime = await startLocalRuntime({ workers: { tasks: options.tasks, concurrency: options.workers ?? 2 } });
      return { target: runtime.target, runtime, close: () => runtime.stop() };
    }
    const target = await resolveTarget({ target: 'local', home: options.home });
    return { target, runtime: undefined, close: async () => target.close() };
  }
  const target = await resolveTarget({ target: name, stack: options.stack, outputsFile: options.outputsFile });
  return { target, runtime: undefined, close: async () => target.close() };
}
