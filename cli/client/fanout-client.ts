/**
 * `fanout()`: fanout as a typed library. `map(task, inputs)` sends one job per input and yields
 * each result as it arrives; the types come from the task (its input schema's input type is what
 * `inputs` must hold, its output what results carry).
 *
 * @example
 * import { fanout } from 'fanout';
 * import * as tasks from './tasks.js';
 *
 * await using fan = await fanout({ tasks, target: 'local' });
 * for await (const r of fan.map(tasks.resize, inputs, { timeout: '10m' })) {
 *   show(r.id, r.ok ? r.output.bytes : r.error.message);
 * }
 */
import { resolve } from 'node:path';
import type { Task } from '../../functions/tasks/define-task.js';
import { TaskRegistry } from '../../functions/tasks/registry.js';
import { UsageError } from '../../functions/wire/errors.js';
import { resolveTasks, loadTaskModule } from '../config/load-tasks.js';
import { fanoutHome } from '../home.js';
import type { InputsSource } from '../master/dispatch/inputs.js';
import { openRuntime, type OpenedRuntime } from '../local/open-runtime.js';
import { RunStore, storePath } from '../store/run-store.js';
import type { Target } from '../endpoint/target.js';
import { durationMs } from './duration.js';
import { RunStream } from './run-stream.js';
import type { FanoutOptions, Inputs, MapAllResult, MapOptions, MapResult, MapStream, ResumeOptions } from './types.js';

/** Collect's default wait, as `fanout collect --timeout`. */
const DEFAULT_TIMEOUT_MS = 60_000;

export class FanoutClient implements AsyncDisposable {
  /** The run store's file. */
  readonly storePath: string;
  /** The tasks this client knows (the embedded runtime's workers run them). */
  readonly tasks: TaskRegistry;
  readonly #store: RunStore;
  readonly #connected: OpenedRuntime;
  /** How to stop each stream being iterated. */
  readonly #running = new Set<() => Promise<void>>();
  #closing: Promise<void> | undefined;

  private constructor(store: RunStore, tasks: TaskRegistry, connected: OpenedRuntime) {
    this.#store = store;
    this.storePath = store.path;
    this.tasks = tasks;
    this.#connected = connected;
  }

  /** Where the jobs go (`target.where`: the endpoint, or AWS and the stack). */
  get target(): Target {
    return this.#connected.target;
  }

  /** True if this client runs its own embedded server and workers (stopped by `close()`). */
  get embedded(): boolean {
    return this.#connected.runtime !== undefined;
  }

  /**
   * Runs `task` once per input, in a new run, and yields each result as it arrives (any order;
   * `id` is the input's index). Inputs are checked against the task's input schema before they
   * are sent; an array is checked whole first, so one bad input sends nothing. An iterable or
   * async iterable is read as it is sent, with memory flat, and checked as it goes.
   */
  map<Input, Output>(task: Task<Input, Output>, inputs: Inputs<NoInfer<Input>>, options: MapOptions = {}): MapStream<Output> {
    this.#checkOpen();
    this.#checkTask(task);
    const source: InputsSource = { kind: 'values', values: inputs as Iterable<unknown> | AsyncIterable<unknown> };
    return this.#stream({ kind: 'new', task: task.name, inputs: source, run: options.run, jobsPerMessage: options.pack }, options);
  }

  /** `map`, gathered: every result in input order, the run id and the summary. */
  async mapAll<Input, Output>(task: Task<Input, Output>, inputs: Inputs<NoInfer<Input>>, options: MapOptions = {}): Promise<MapAllResult<Output>> {
    return gather(this.map(task, inputs, options));
  }

  /**
   * A run started earlier (by `map`, or `fanout dispatch`): yields the results already stored,
   * then collects the rest. A dispatch that was cut short goes on if its inputs can be read
   * again (a count, a file) or are given again in `inputs`.
   */
  resume<Input = unknown, Output = unknown>(run: string, options: ResumeOptions<Input, Output> = {}): MapStream<Output> {
    this.#checkOpen();
    if (options.task) this.#checkTask(options.task);
    const inputs: InputsSource | undefined = options.inputs && { kind: 'values', values: options.inputs as Iterable<unknown> | AsyncIterable<unknown> };
    return this.#stream({ kind: 'resume', run, task: options.task?.name, inputs }, options);
  }

  /** `resume`, gathered. */
  async resumeAll<Input = unknown, Output = unknown>(run: string, options: ResumeOptions<Input, Output> = {}): Promise<MapAllResult<Output>> {
    return gather(this.resume(run, options));
  }

  /** Opens a client, as `fanout()` does. */
  static async open(options: FanoutOptions = {}): Promise<FanoutClient> {
    const home = resolve(options.home ?? fanoutHome());
    const tasks = await taskRegistry(options.tasks);
    const store = RunStore.open({ path: storePath(home) });
    try {
      const opened = await openRuntime({ target: options.target, home, tasks, stack: options.stack, outputsFile: options.outputsFile, workers: options.workers });
      return new FanoutClient(store, tasks, opened);
    } catch (error) {
      store.close();
      throw error;
    }
  }

  /**
   * Stops the streams still iterating (their runs stay resumable), the embedded runtime if this
   * client started one, and closes the run store. Idempotent.
   */
  close(): Promise<void> {
    return (this.#closing ??= (async () => {
      await Promise.all([...this.#running].map((stop) => stop()));
      await this.#connected.close();
      this.#store.close();
    })());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #stream<Output>(start: ConstructorParameters<typeof RunStream>[0]['start'], options: MapOptions): MapStream<Output> {
    return new RunStream<Output>({
      target: this.#connected.target,
      store: this.#store,
      tasks: this.tasks,
      start,
      timeoutMs: options.timeout === undefined ? DEFAULT_TIMEOUT_MS : durationMs(options.timeout, 'timeout'),
      signal: options.signal,
      track: (stop) => {
        this.#running.add(stop);
        return () => this.#running.delete(stop);
      },
    });
  }

  #checkTask(task: Task<unknown, unknown>): void {
    if (!this.tasks.find(task.name)) {
      throw new UsageError(`task ${task.name} is not among this client's tasks (${this.tasks.names().join(', ')}): pass its module in fanout({ tasks })`);
    }
  }

  #checkOpen(): void {
    if (this.#closing) throw new UsageError('this fanout client is closed');
  }
}

/**
 * Opens a client: the run store, the target, and (for `target: 'local'` with no `fanout local`
 * running) an embedded runtime running `tasks`. Close it with `close()` or `await using`.
 */
export function fanout(options: FanoutOptions = {}): Promise<FanoutClient> {
  return FanoutClient.open(options);
}

async function taskRegistry(tasks: FanoutOptions['tasks']): Promise<TaskRegistry> {
  if (tasks instanceof TaskRegistry) return tasks;
  if (typeof tasks === 'string') return loadTaskModule(tasks);
  if (tasks === undefined) return (await resolveTasks()).registry;
  const registry = new TaskRegistry(tasks);
  if (registry.size === 0) throw new UsageError('fanout({ tasks }): the object has no task: pass your tasks module (import * as tasks from "./tasks.js")');
  return registry;
}

async function gather<Output>(stream: MapStream<Output>): Promise<MapAllResult<Output>> {
  const results: MapResult<Output>[] = [];
  for await (const result of stream) results.push(result);
  results.sort((a, b) => a.id - b.id);
  return { run: stream.run!, results, summary: stream.summary! };
}
