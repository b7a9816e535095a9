/** The client's options and results. */
import type { CollectReport } from '../master/collect/collect.js';
import type { Task } from '../../functions/tasks/define-task.js';
import type { TaskRegistry } from '../../functions/tasks/registry.js';
import type { Duration } from './duration.js';

/**
 * A run's inputs: an array (checked whole before anything is sent), or any iterable or async
 * iterable (read as it is sent, memory flat). The array comes first so that a wrong element is
 * reported where it is ("Type 'number' is not assignable to type 'string'").
 */
export type Inputs<Input> = readonly Input[] | Iterable<Input> | AsyncIterable<Input>;

export type FanoutOptions = {
  /**
   * Your tasks: a module object (`import * as tasks from './tasks.js'`), a `TaskRegistry`, or the
   * path of a tasks module. Inputs are checked against their schemas before anything is sent, and
   * an embedded runtime started by `fanout()` runs them.
   * @default - `tasks` of `fanout.config.*` in the working directory, else the built-in tasks
   */
  tasks?: object | TaskRegistry | string;
  /**
   * Where the jobs go: `'local'` (the `fanout local` running in this directory, else an embedded
   * runtime started in this process and stopped by `close()`), `'aws'` (the deployed stack), or
   * an SQS endpoint URL.
   * @default - FANOUT_TARGET, else 'local'
   */
  target?: 'local' | 'aws' | (string & {});
  /**
   * fanout's directory: the run store (`fanout.db`) and the record of a running `fanout local`.
   * @default - FANOUT_HOME, else `.fanout` in the working directory
   */
  home?: string;
  /** With `target: 'aws'`: the stack whose outputs name the queues. @default - FANOUT_STACK, else 'Fanout' */
  stack?: string;
  /** With `target: 'aws'`: a `cdk deploy --outputs-file` file. @default - ./cdk-outputs.json if it has the stack */
  outputsFile?: string;
  /** Worker pollers of an embedded runtime started by `fanout()`. @default 2 */
  workers?: number;
};

export type MapOptions = {
  /**
   * Give up waiting for results after this long (from the start): the iteration ends and
   * `summary` lists the missing jobs. A number of ms, or `'90s'`, `'10m'`, `'1h'`.
   * @default '60s' (as `fanout collect`)
   */
  timeout?: Duration;
  /** Stops dispatching and collecting; the iteration throws the signal's reason. The run stays resumable. */
  signal?: AbortSignal;
  /** The run's id. @default - a new one */
  run?: string;
  /** Jobs per message. @default - chosen from the job count */
  pack?: number;
};

export type ResumeOptions<Input = unknown, Output = unknown> = Omit<MapOptions, 'run' | 'pack'> & {
  /** The run's task, for typed results (checked against the run's). */
  task?: Task<Input, Output>;
  /** The inputs again, when the run's dispatch was interrupted and its inputs were values or a stream. */
  inputs?: Inputs<Input>;
};

type ResultBase = {
  readonly run: string;
  /** The job's id: its input's index. */
  readonly id: number;
  /** When the job started, in ms since the epoch (on the worker). */
  readonly started?: number | undefined;
  /** How long it ran, in ms. */
  readonly ms: number;
};

/** One job's result: its output, or the error it threw (or that its input or output broke the schema). */
export type MapResult<Output> =
  | (ResultBase & { readonly ok: true; readonly output: Output })
  | (ResultBase & { readonly ok: false; readonly error: { readonly name: string; readonly message: string } });

/** Where a run stands when its iteration ends: `fanout collect`'s report (`missing`, `deadLettered`, `counts`…). */
export type MapSummary = CollectReport;

/** Results as they arrive. Iterate it once. */
export interface MapStream<Output> extends AsyncIterable<MapResult<Output>> {
  /** The run's id, known once its dispatch has started (before the first result). */
  readonly run: string | undefined;
  /** How the run ended, once the iteration has (complete, a timeout, a `break`). */
  readonly summary: MapSummary | undefined;
}

/** Every result of a run, in input order (ids missing at a timeout are in `summary.missing`). */
export type MapAllResult<Output> = {
  run: string;
  results: MapResult<Output>[];
  summary: MapSummary;
};
