/**
 * What is wrong with a message the hand-written checks (fast-check.ts) refused: where, and why,
 * found as the contract's zod schemas (contract-schemas.ts) find it — the same first issue path
 * (each object's members in the schema's order, then keys it does not know), in words close to
 * zod's. test/unit/functions/wire/fast-check.test.ts proves the paths equal to zod's on every
 * message the checks refuse. Without zod at run time, no process loads it (35 ms of every start)
 * for messages that are almost never malformed.
 */
import { isReplyUrl, isRunId, isTaskName, isJsonValue, isWorkerName } from './fast-check.js';

/** Where a message breaks the contract (keys and indexes from its root), and why. */
export type Problem = { path: Array<string | number>; message: string };

type Check = (value: unknown, path: Array<string | number>) => Problem | undefined;

const RUN_ID = 'a run id is 1-64 letters, digits, "-" or "_"';
const TASK_NAME = 'a task name is lowercase letters, digits and "-", starting with a letter';
const REPLY = 'a reply is the http(s) URL of a queue';

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value;
}

const problem = (path: Array<string | number>, message: string): Problem => ({ path, message });
const expected = (what: string) => (value: unknown, path: Array<string | number>) => problem(path, `Invalid input: expected ${what}, received ${kind(value)}`);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const string: Check = (value, path) => (typeof value === 'string' ? undefined : expected('string')(value, path));
const boolean: Check = (value, path) => (typeof value === 'boolean' ? undefined : expected('boolean')(value, path));
const refined =
  (test: (value: string) => boolean, message: string): Check =>
  (value, path) =>
    string(value, path) ?? (test(value as string) ? undefined : problem(path, message));
const finiteNumber: Check = (value, path) => (typeof value === 'number' && Number.isFinite(value) ? undefined : expected('number')(value, path));
const duration: Check = (value, path) => finiteNumber(value, path) ?? ((value as number) >= 0 ? undefined : problem(path, 'Too small: expected number to be >=0'));
const wholeAtLeast =
  (min: number): Check =>
  (value, path) =>
    finiteNumber(value, path) ??
    (!Number.isSafeInteger(value) ? problem(path, 'Invalid input: expected a whole number') : (value as number) < min ? problem(path, `Too small: expected number to be >=${min}`) : undefined);
const json =
  (depth: number): Check =>
  (value, path) =>
    isJsonValue(value, depth) ? undefined : problem(path, 'Invalid input: not a JSON value (a number beyond the double range, or nothing)');
const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined ? undefined : check(value, path);
const arrayOf =
  (item: Check): Check =>
  (value, path) => {
    if (!Array.isArray(value)) return expected('array')(value, path);
    for (let i = 0; i < value.length; i++) {
      const found = item(value[i], [...path, i]);
      if (found) return found;
    }
    return value.length === 0 ? problem(path, 'Too small: expected array to have >=1 items') : undefined;
  };

/** A strict object: its members in order, then the first key it does not know. */
function object(shape: Record<string, Check>): Check {
  return (value, path) => {
    if (!isObject(value)) return expected('object')(value, path);
    for (const [key, check] of Object.entries(shape)) {
      const found = check(value[key], [...path, key]);
      if (found) return found;
    }
    for (const key of Object.keys(value)) if (!Object.hasOwn(shape, key)) return problem(path, `Unrecognized key: ${JSON.stringify(key)}`);
    return undefined;
  };
}

/** One of several objects, chosen by the value of `key`. */
function union(key: string, options: ReadonlyMap<unknown, Check>): Check {
  return (value, path) => {
    if (!isObject(value)) return expected('object')(value, path);
    const option = options.get(value[key]);
    if (!option) return problem([...path, key], `Invalid discriminator value. Expected ${[...options.keys()].map((k) => `'${String(k)}'`).join(' | ')}`);
    return option(value, path);
  };
}

const literal =
  (expectedValue: unknown): Check =>
  (value, path) =>
    value === expectedValue ? undefined : problem(path, `Invalid input: expected ${JSON.stringify(expectedValue)}`);

const job = object({ id: wholeAtLeast(0), input: json(3) });
const jobHead = { run: refined(isRunId, RUN_ID), task: refined(isTaskName, TASK_NAME) };
const jobMessage = union(
  'v',
  new Map([
    [1, object({ v: literal(1), ...jobHead, jobs: arrayOf(job) })],
    [2, object({ v: literal(2), ...jobHead, reply: optional(refined(isReplyUrl, REPLY)), jobs: arrayOf(job) })],
  ]),
);

const error = object({ name: string, message: string });
const result = (v: 1 | 2): Check => {
  const started: Record<string, Check> = v === 2 ? { started: duration } : {};
  return union(
    'ok',
    new Map([
      [true, object({ id: wholeAtLeast(0), ok: literal(true), output: json(3), ...started, ms: duration })],
      [false, object({ id: wholeAtLeast(0), ok: literal(false), error, ...started, ms: duration })],
    ]),
  );
};
const worker: Check = (value, path) => string(value, path) ?? (isWorkerName(value) ? undefined : problem(path, 'Too big: expected string to have <=512 characters'));
const resultMessage = union(
  'v',
  new Map([
    [1, object({ v: literal(1), run: refined(isRunId, RUN_ID), results: arrayOf(result(1)) })],
    [2, object({ v: literal(2), run: refined(isRunId, RUN_ID), worker, cold: boolean, attempt: wholeAtLeast(1), results: arrayOf(result(2)) })],
  ]),
);

/** The first thing wrong with a job message (undefined if none). */
export function explainJobMessage(value: unknown): Problem | undefined {
  return jobMessage(value, []);
}

/** The first thing wrong with a result message (undefined if none). */
export function explainResultMessage(value: unknown): Problem | undefined {
  return resultMessage(value, []);
}
