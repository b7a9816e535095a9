/**
 * The wire contract: the only module that knows what travels on the queues.
 *
 * A job message carries one run's jobs for one task; a result message carries one run's results.
 * Both hold many entries so that dispatch can pack jobs (one message per job costs one SQS request per job).
 * Job ids are the job's index in its run (0 … count-1): compact to track and to list when missing.
 */
import { z } from 'zod';
import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { RUN_ATTRIBUTE } from './constants.js';
import { ContractError, OversizeError } from './errors.js';

/** Bumped on any change a deployed worker or collector could misread. */
export const CONTRACT_VERSION = 1;

const runId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a run id is 1-64 letters, digits, "-" or "_"');
const jobId = z.number().int().nonnegative();
const taskName = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'a task name is lowercase letters, digits and "-"');

const json = z.json();

export const JobSchema = z.strictObject({ id: jobId, input: json });

export const JobMessageSchema = z.strictObject({
  v: z.literal(CONTRACT_VERSION),
  run: runId,
  task: taskName,
  jobs: z.array(JobSchema).min(1),
});

const Timing = { ms: z.number().nonnegative() };
export const ResultSchema = z.discriminatedUnion('ok', [
  z.strictObject({ id: jobId, ok: z.literal(true), output: json, ...Timing }),
  z.strictObject({
    id: jobId,
    ok: z.literal(false),
    error: z.strictObject({ name: z.string(), message: z.string() }),
    ...Timing,
  }),
]);

export const ResultMessageSchema = z.strictObject({
  v: z.literal(CONTRACT_VERSION),
  run: runId,
  results: z.array(ResultSchema).min(1),
});

export type Json = z.infer<typeof json>;
export type Job = z.infer<typeof JobSchema>;
export type JobMessage = z.infer<typeof JobMessageSchema>;
export type Result = z.infer<typeof ResultSchema>;
export type ResultMessage = z.infer<typeof ResultMessageSchema>;

function parse<T>(schema: z.ZodType<T>, what: string, body: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ContractError(`${what} is not JSON (${body.length} bytes starting ${JSON.stringify(body.slice(0, 40))})`);
  }
  if (!withinDepth(json)) throw new ContractError(`${what} nests deeper than ${MAX_JSON_DEPTH} levels`);
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.length ? issue.path.join('.') : '(root)';
    throw new ContractError(`${what} is invalid at ${at}: ${issue.message}`);
  }
  // The checked value itself, not zod's copy: zod's copy drops "__proto__" keys, which inside
  // inputs and outputs are plain data (JSON.parse makes them own properties, not prototypes).
  return json as T;
}

/** Parses a dispatched message body; throws ContractError naming what is wrong. */
export function parseJobMessage(body: string): JobMessage {
  return parse(JobMessageSchema, 'job message', body);
}

/** Parses a finished message body; throws ContractError naming what is wrong. */
export function parseResultMessage(body: string): ResultMessage {
  return parse(ResultMessageSchema, 'result message', body);
}

/** The message attributes that carry a run id, so a reader can route a message without parsing its body. */
export function runAttributes(run: string): Record<string, MessageAttributeValue> {
  return { [RUN_ATTRIBUTE]: { DataType: 'String', StringValue: run } };
}

/** The run id a message's attributes carry, if any. */
export function runOfAttributes(attributes: Record<string, MessageAttributeValue> | undefined): string | undefined {
  return attributes?.[RUN_ATTRIBUTE]?.StringValue;
}

/** Reads just the run id of a body that may be malformed, to attribute a failure to its run. */
export function peekRunId(body: string): string | undefined {
  try {
    const run = (JSON.parse(body) as { run?: unknown }).run;
    return runId.safeParse(run).success ? (run as string) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Characters a message body cannot carry raw, though JSON carries them escaped: U+FFFE and U+FFFF
 * (SQS refuses them) and surrogates (lone ones are refused by SQS, pairs — emoji — by some
 * emulators). They can only occur inside JSON strings, where a \uXXXX escape means the same.
 */
const UNSENDABLE = /[\ud800-\udfff\ufffe\uffff]/g;

/** JSON text of `value` whose every character SQS accepts. */
function toWire(value: unknown): string {
  const json = JSON.stringify(value);
  // Testing first keeps the common case (nothing to escape) from building a new string.
  return json.search(UNSENDABLE) >= 0 ? json.replace(UNSENDABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** Deepest nesting of arrays and objects a message may hold: deeper values cannot be checked safely. */
export const MAX_JSON_DEPTH = 256;

/** True if `value` nests arrays/objects no deeper than MAX_JSON_DEPTH. */
export function withinDepth(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_JSON_DEPTH) return false;
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (!withinDepth(child, depth + 1)) return false;
  return true;
}

export function encodeJobMessage(run: string, task: string, jobs: Job[]): string {
  return toWire({ v: CONTRACT_VERSION, run, task, jobs } satisfies JobMessage);
}

export function encodeResultMessage(run: string, results: Result[]): string {
  return toWire({ v: CONTRACT_VERSION, run, results } satisfies ResultMessage);
}

/** Bounds for packing entries into message bodies. */
export type PackLimits = {
  /** Largest body, in UTF-8 bytes. */
  maxBytes: number;
  /** Most entries per body. */
  maxEntries: number;
};

/**
 * Packs already-encoded entries into as few bodies as the limits allow, keeping their order.
 * Produces exactly the JSON that `encodeJobMessage` / `encodeResultMessage` would, without
 * re-serialising: each entry's size is counted once.
 */
/** One packed message body and how many entries it holds. */
export type Packed = { body: string; entries: number };

function* pack(head: string, entries: Iterable<string>, limits: PackLimits, what: string): Generator<Packed> {
  const tail = ']}';
  const overhead = byteLength(head) + tail.length;
  let parts: string[] = [];
  let size = overhead;
  for (const entry of entries) {
    const bytes = byteLength(entry) + 1; // the comma
    if (overhead + bytes > limits.maxBytes) {
      throw new OversizeError(`${what} of ${bytes - 1} bytes does not fit in one message (limit ${limits.maxBytes - overhead} bytes)`);
    }
    if (parts.length > 0 && (size + bytes > limits.maxBytes || parts.length >= limits.maxEntries)) {
      yield { body: head + parts.join(',') + tail, entries: parts.length };
      parts = [];
      size = overhead;
    }
    parts.push(entry);
    size += bytes;
  }
  if (parts.length > 0) yield { body: head + parts.join(',') + tail, entries: parts.length };
}

/** Job message bodies for `jobs`, packed under `limits`. Throws OversizeError for a job that cannot fit alone. */
export function packJobMessages(run: string, task: string, jobs: Iterable<Job>, limits: PackLimits): Generator<Packed> {
  const head = `{"v":${CONTRACT_VERSION},"run":${JSON.stringify(run)},"task":${JSON.stringify(task)},"jobs":[`;
  return pack(head, map(jobs, (job) => toWire({ id: job.id, input: job.input })), limits, 'job');
}

/** Result message bodies for `results`, packed under `limits`. */
export function packResultMessages(run: string, results: Iterable<Result>, limits: PackLimits): Generator<Packed> {
  const head = `{"v":${CONTRACT_VERSION},"run":${JSON.stringify(run)},"results":[`;
  return pack(head, map(results, (result) => toWire(result)), limits, 'result');
}

function* map<T, U>(items: Iterable<T>, fn: (item: T) => U): Generator<U> {
  for (const item of items) yield fn(item);
}

/** UTF-8 size of a message body: what SQS counts against its limit. */
export function byteLength(body: string): number {
  return Buffer.byteLength(body, 'utf8');
}
