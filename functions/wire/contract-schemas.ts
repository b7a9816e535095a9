/**
 * The wire contract as zod schemas: the reference statement of what a message may hold, with the
 * types inferred from it. At run time nothing loads this (zod takes 35 ms to load): the
 * hand-written checks (fast-check.ts) and explanations (explain.ts) that fanout runs are proved
 * to agree with these schemas by test/unit/functions/wire/fast-check.test.ts.
 */
import { z } from 'zod';
import { isReplyUrl, isRunId, isTaskName } from './fast-check.js';

const runId = z.string().refine(isRunId, 'a run id is 1-64 letters, digits, "-" or "_"');
const jobId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const taskName = z.string().refine(isTaskName, 'a task name is lowercase letters, digits and "-", starting with a letter');
/** Every value held under an own "__proto__" key, at any depth (JSON.parse makes such keys own properties). */
function protoValues(value: unknown, into: unknown[] = []): unknown[] {
  if (typeof value !== 'object' || value === null) return into;
  if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) into.push((value as Record<string, unknown>)['__proto__']);
  for (const key of Object.keys(value)) protoValues((value as Record<string, unknown>)[key], into);
  return into;
}

const anyJson = z.json();
/**
 * A JSON value. z.json() skips "__proto__" keys (its records never copy them, so as not to set a
 * prototype) but parse() hands on the value itself, "__proto__" keys included: their values must be
 * JSON too ({"__proto__":1e400} holds Infinity). Checked on the input: a refinement of z.json()
 * would see its copy, without them.
 */
const json = z.custom<z.infer<typeof anyJson>>(
  (value) => anyJson.safeParse(value).success && protoValues(value).every((inner) => anyJson.safeParse(inner).success),
  'Invalid input: not a JSON value',
);

export const JobSchema = z.strictObject({ id: jobId, input: json });

const JobMessageV1 = z.strictObject({ v: z.literal(1), run: runId, task: taskName, jobs: z.array(JobSchema).min(1) });
const JobMessageV2 = z.strictObject({
  v: z.literal(2),
  run: runId,
  task: taskName,
  /** The queue URL the results go to; absent: the stack's shared finished queue. */
  reply: z.string().refine(isReplyUrl, 'a reply is the http(s) URL of a queue').optional(),
  jobs: z.array(JobSchema).min(1),
});
export const JobMessageSchema = z.discriminatedUnion('v', [JobMessageV1, JobMessageV2]);

const ErrorInfo = z.strictObject({ name: z.string(), message: z.string() });
const ms = z.number().nonnegative();
const ResultV1 = z.discriminatedUnion('ok', [
  z.strictObject({ id: jobId, ok: z.literal(true), output: json, ms }),
  z.strictObject({ id: jobId, ok: z.literal(false), error: ErrorInfo, ms }),
]);
const started = z.number().nonnegative();
const ResultV2 = z.discriminatedUnion('ok', [
  z.strictObject({ id: jobId, ok: z.literal(true), output: json, started, ms }),
  z.strictObject({ id: jobId, ok: z.literal(false), error: ErrorInfo, started, ms }),
]);
const ResultMessageV1 = z.strictObject({ v: z.literal(1), run: runId, results: z.array(ResultV1).min(1) });
const ResultMessageV2 = z.strictObject({
  v: z.literal(2),
  run: runId,
  /** Which worker ran the jobs: a Lambda log stream (one per execution environment), or a local process. */
  worker: z.string().max(512),
  /** The worker's first invocation. */
  cold: z.boolean(),
  /** Delivery attempt of the job message (its ApproximateReceiveCount). */
  attempt: z.number().int().min(1),
  results: z.array(ResultV2).min(1),
});
export const ResultMessageSchema = z.discriminatedUnion('v', [ResultMessageV1, ResultMessageV2]);

export type Json = z.infer<typeof json>;
export type Job = z.infer<typeof JobSchema>;
export type JobMessage = z.infer<typeof JobMessageSchema>;
