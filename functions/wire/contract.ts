/**
 * The wire contract: the only module that knows what travels on the queues.
 *
 * A job message carries one run's jobs for one task; a result message carries one run's results.
 * Both hold many entries so that dispatch can pack jobs (one message per job costs one SQS request
 * per job). Job ids are the job's index in its run (0 … count-1): compact to track and to list
 * when missing. docs/contract.md describes it for programs in other languages.
 *
 * Versions: a worker reads job messages of version 1 and 2 and answers in the version it was
 * asked in, so an older master keeps working against a newer worker; a collector reads both.
 * - v1: `{ v: 1, run, task, jobs }` → `{ v: 1, run, results: [{ id, ok, output | error, ms }] }`
 * - v2: a job message may name its `reply` queue (the run's own result queue); a result message
 *   says which `worker` ran the jobs, whether it was a `cold` start and the delivery `attempt`,
 *   and each result when it `started` (epoch ms).
 *
 * The shapes are stated as zod schemas in contract-schemas.ts (the reference, and the types);
 * messages are checked by hand-written code proved to agree with them (fast-check.ts, explain.ts).
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { RUN_ATTRIBUTE } from './constants.js';
import { ContractError } from './errors.js';
import { explainJobMessage, explainResultMessage, type Problem } from './explain.js';
import { isJobMessage, isResultMessage, isRunId, isTaskName } from './fast-check.js';
import { MAX_JSON_DEPTH, toWire, withinDepth } from './json.js';
import type { Json, Job, JobMessage } from './contract-schemas.js';

export type { Json, Job, JobMessage };

/** The version this fanout writes. Bumped on any change a deployed worker or collector could misread. */
export const CONTRACT_VERSION = 2;
/** Every version this fanout reads. */
export const CONTRACT_VERSIONS = [1, 2] as const;
export type ContractVersion = (typeof CONTRACT_VERSIONS)[number];

export { isRunId, isTaskName };

/** One job's outcome. `started` (epoch ms) is absent in version 1 messages. */
export type Result =
  | { id: number; ok: true; output: Json; started?: number; ms: number }
  | { id: number; ok: false; error: { name: string; message: string }; started?: number; ms: number };
/** A result message as read, whatever its version. */
export type ResultMessage = {
  v: ContractVersion;
  run: string;
  worker?: string;
  cold?: boolean;
  attempt?: number;
  results: Result[];
};
/** Who ran a message's jobs (version 2). */
export type ResultOrigin = { worker: string; cold: boolean; attempt: number };

function parse<T>(isValid: (value: unknown) => boolean, explain: (value: unknown) => Problem | undefined, what: string, body: string): T {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new ContractError(`${what} is not JSON (${Buffer.byteLength(body)} bytes starting ${JSON.stringify(body.slice(0, 40))})`);
  }
  // The hand-written check settles the common case; the explanation runs only to say what is wrong.
  // The checked value itself is returned, never a copy: a copy would drop "__proto__" keys, which
  // inside inputs and outputs are plain data (JSON.parse makes them own properties, not prototypes).
  if (isValid(value)) return value as T;
  if (!withinDepth(value)) throw new ContractError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
  const problem = explain(value) ?? { path: [], message: 'it breaks the contract' };
  const at = problem.path.length ? problem.path.join('.') : '(root)';
  throw new ContractError(`${what} is invalid at ${at}: ${problem.message}`);
}

/** Parses a dispatched message body; throws ContractError naming what is wrong. */
export function parseJobMessage(body: string): JobMessage {
  return parse(isJobMessage, explainJobMessage, 'job message', body);
}

/** Parses a finished message body; throws ContractError naming what is wrong. */
export function parseResultMessage(body: string): ResultMessage {
  return parse(isResultMessage, explainResultMessage, 'result message', body);
}

/** Reads just the run id of a body that may be malformed, to attribute a failure to its run. */
export function peekRunId(body: string): string | undefined {
  try {
    const run = (JSON.parse(body) as { run?: unknown }).run;
    return typeof run === 'string' && isRunId(run) ? run : undefined;
  } catch {
    return undefined;
  }
}

/** The message attributes that carry a run id, so a reader can route a message without parsing its body. */
export function runAttributes(run: string): Record<string, MessageAttributeValue> {
  return { [RUN_ATTRIBUTE]: { DataType: 'String', StringValue: run } };
}

/** The run id a message's attributes carry, if any. */
export function runOfAttributes(attributes: Record<string, MessageAttributeValue> | undefined): string | undefined {
  return attributes?.[RUN_ATTRIBUTE]?.StringValue;
}

export type JobMessageHead = { v?: ContractVersion; run: string; task: string; reply?: string | undefined };

/** The JSON before a job message's entries: `{"v":…,"run":…,"task":…,"jobs":[`. */
export function jobMessageHead(head: JobMessageHead): string {
  const v = head.v ?? CONTRACT_VERSION;
  const reply = v >= 2 && head.reply ? `,"reply":${JSON.stringify(head.reply)}` : '';
  return `{"v":${v},"run":${JSON.stringify(head.run)},"task":${JSON.stringify(head.task)}${reply},"jobs":[`;
}

/** The JSON before a result message's entries, in the version of the job message it answers. */
export function resultMessageHead(v: ContractVersion, run: string, origin: ResultOrigin): string {
  if (v === 1) return `{"v":1,"run":${JSON.stringify(run)},"results":[`;
  return `{"v":2,"run":${JSON.stringify(run)},"worker":${toWire(origin.worker)},"cold":${origin.cold},"attempt":${origin.attempt},"results":[`;
}

/**
 * One result as an entry of a message of version `v` (version 1 has no `started`): the same JSON
 * as `toWire(result)`, written directly — this is done once per job.
 */
export function resultEntry(v: ContractVersion, result: Result): string {
  const started = v === 1 || result.started === undefined ? '' : `,"started":${result.started}`;
  if (result.ok) return `{"id":${result.id},"ok":true,"output":${toWire(result.output)}${started},"ms":${result.ms}}`;
  return `{"id":${result.id},"ok":false,"error":{"name":${toWire(result.error.name)},"message":${toWire(result.error.message)}}${started},"ms":${result.ms}}`;
}

/** One job as an entry of a job message: `{"id":…,"input":…}`. */
export function jobEntry(id: number, input: unknown): string {
  return `{"id":${id},"input":${toWire(input)}}`;
}

export function encodeJobMessage(run: string, task: string, jobs: Job[], reply?: string): string {
  return `${jobMessageHead({ run, task, reply })}${jobs.map((job) => jobEntry(job.id, job.input)).join(',')}]}`;
}

export function encodeResultMessage(run: string, results: Result[], origin: ResultOrigin = { worker: 'test', cold: false, attempt: 1 }, v: ContractVersion = CONTRACT_VERSION): string {
  return `${resultMessageHead(v, run, origin)}${results.map((result) => resultEntry(v, result)).join(',')}]}`;
}
