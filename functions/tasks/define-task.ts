/**
 * `defineTask`: how a task is declared — a name, a function, and optional input and output
 * schemas in any Standard Schema library (zod 4, valibot, arktype). The schemas check inputs at
 * dispatch and on the worker, and outputs on the worker; their types flow to `map()`'s inputs
 * and results.
 *
 * @example
 * import { z } from 'zod';
 * import { defineTask } from 'fanout/task';
 *
 * export const resize = defineTask({
 *   name: 'resize',
 *   input: z.object({ url: z.url(), width: z.int().positive() }),
 *   run: async ({ url, width }) => ({ bytes: await shrink(url, width) }),
 * });
 */
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { isTaskName } from '../wire/contract.js';

/** What a job can learn about where it runs. */
export type TaskContext = {
  /** The job's id in its run (its input's index). */
  readonly jobId: number;
  readonly run: string;
  /** Delivery attempt of the message that carried the job: above 1, an earlier attempt may have run it. */
  readonly attempt: number;
  /** Time left in this invocation, in ms: a long job can stop early and fail on purpose. */
  remainingTimeMs(): number;
};

/** Recognises tasks across copies of this module (a user's fanout and a bundled one). */
const TASK = Symbol.for('fanout.task');

/**
 * A declared task. `Input` is what `map()` accepts for it, `Output` what its results carry.
 * The type parameters live in `types`, which exists for the compiler only.
 */
export interface Task<Input = unknown, Output = unknown> {
  readonly name: string;
  readonly input: StandardSchemaV1 | undefined;
  readonly output: StandardSchemaV1 | undefined;
  /** Runs one job with an input that passed the input schema. */
  readonly run: (input: never, context: TaskContext) => unknown;
  /** Type-level only: never set. */
  readonly types?: { readonly input: Input; readonly output: Output };
  readonly [TASK]: true;
}

/** The input type `map()` accepts for a task. */
export type TaskInput<T> = T extends Task<infer I, unknown> ? I : never;
/** The output type a task's results carry. */
export type TaskOutput<T> = T extends Task<unknown, infer O> ? O : never;

type Parsed<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown;
type Accepted<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferInput<S> : unknown;

export type TaskDefinition<In extends StandardSchemaV1 | undefined, R> = {
  /** Lowercase letters, digits and "-", starting with a letter; unique in its module. */
  name: string;
  /** Checks (and may transform) each input, at dispatch and on the worker. @default - any JSON value */
  input?: In;
  /** Runs one job. Throwing makes an error result for that job alone. */
  run: (input: Parsed<In>, context: TaskContext) => R;
};

/** Declares a task whose output is checked against `output` on the worker. */
export function defineTask<In extends StandardSchemaV1 | undefined = undefined, Out extends StandardSchemaV1 = StandardSchemaV1>(
  definition: TaskDefinition<In, StandardSchemaV1.InferInput<Out> | Promise<StandardSchemaV1.InferInput<Out>>> & { output: Out },
): Task<Accepted<In>, StandardSchemaV1.InferOutput<Out>>;
/** Declares a task; its output type is what `run` returns. */
export function defineTask<In extends StandardSchemaV1 | undefined = undefined, R = unknown>(
  definition: TaskDefinition<In, R> & { output?: undefined },
): Task<Accepted<In>, Awaited<R>>;
export function defineTask(definition: TaskDefinition<StandardSchemaV1 | undefined, unknown> & { output?: StandardSchemaV1 | undefined }): Task {
  const { name, input, output, run } = definition;
  if (typeof name !== 'string' || !isTaskName(name)) {
    throw new TypeError(`defineTask: the name must be lowercase letters, digits and "-", starting with a letter, at most 64 (given ${JSON.stringify(name)})`);
  }
  if (typeof run !== 'function') throw new TypeError(`defineTask: task "${name}" needs a run function`);
  for (const [what, schema] of [['input', input], ['output', output]] as const) {
    if (schema !== undefined && typeof (schema as Partial<StandardSchemaV1>)['~standard']?.validate !== 'function') {
      throw new TypeError(`defineTask: the ${what} of task "${name}" is not a Standard Schema (zod 4, valibot, arktype…)`);
    }
  }
  return Object.freeze({ name, input, output, run: run as Task['run'], [TASK]: true as const });
}

export function isTask(value: unknown): value is Task {
  return typeof value === 'object' && value !== null && (value as { [TASK]?: unknown })[TASK] === true;
}
