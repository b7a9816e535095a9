/**
 * Hand-written checks of the contract's message shapes, equivalent to its zod schemas
 * (contract.ts) but without building a result object per value: the hot path of every message.
 * Each answers only "valid or not"; on "not", contract.ts runs the zod schema for the precise
 * error. test/unit/functions/wire/fast-check.test.ts proves the two agree, on the contract's
 * corpus and on generated and mutated messages.
 */
import { MAX_JSON_DEPTH } from './json.js';

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TASK_NAME = /^[a-z][a-z0-9-]{0,63}$/;
const REPLY_URL = /^https?:\/\/[^\s/?#]+\/\S*$/;

/** A run id the contract accepts. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID.test(value);
}

/** A task name the contract accepts. */
export function isTaskName(value: unknown): value is string {
  return typeof value === 'string' && TASK_NAME.test(value);
}

/** A reply queue URL the contract accepts: http(s), a host, a path, and parseable as a URL. */
export function isReplyUrl(value: unknown): value is string {
  return typeof value === 'string' && REPLY_URL.test(value) && URL.canParse(value);
}

/**
 * Length in characters (code points) as zod's max() counts a string: a surrogate pair is one
 * character, a lone surrogate one. UTF-16 units would refuse 257-512 emoji the contract allows.
 */
export function characters(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count--;
      i++;
    }
  }
  return count;
}

/** A worker name the contract accepts: a string of at most 512 characters. */
export function isWorkerName(value: unknown): value is string {
  // Within 512 units it is within 512 characters: only a longer one is counted.
  return typeof value === 'string' && (value.length <= 512 || characters(value) <= 512);
}

function isJobId(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isDuration(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Exactly the keys in `allowed` that are present: no stranger (a "__proto__" own key included). */
function onlyKeys(value: object, allowed: ReadonlySet<string>): boolean {
  for (const key of Object.keys(value)) if (!allowed.has(key)) return false;
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON value as zod's z.json() sees one: finite numbers only, nested no deeper than the limit. */
export function isJsonValue(value: unknown, depth = 0): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_JSON_DEPTH) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!isJsonValue(item, depth + 1)) return false;
        return true;
      }
      for (const key of Object.keys(value)) if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

const JOB_KEYS = new Set(['id', 'input']);
const JOB_MESSAGE_KEYS = { 1: new Set(['v', 'run', 'task', 'jobs']), 2: new Set(['v', 'run', 'task', 'reply', 'jobs']) } as const;

export function isJobMessage(value: unknown): boolean {
  if (!isObject(value)) return false;
  const v = value.v;
  if (v !== 1 && v !== 2) return false;
  if (!onlyKeys(value, JOB_MESSAGE_KEYS[v]) || !isRunId(value.run) || !isTaskName(value.task)) return false;
  if (v === 2 && 'reply' in value && !isReplyUrl(value.reply)) return false;
  const jobs = value.jobs;
  if (!Array.isArray(jobs) || jobs.length === 0) return false;
  for (const job of jobs) {
    if (!isObject(job) || !onlyKeys(job, JOB_KEYS) || !isJobId(job.id) || !('input' in job) || !isJsonValue(job.input, 3)) return false;
  }
  return true;
}

const ERROR_KEYS = new Set(['name', 'message']);
const RESULT_KEYS = {
  1: { ok: new Set(['id', 'ok', 'output', 'ms']), failed: new Set(['id', 'ok', 'error', 'ms']) },
  2: { ok: new Set(['id', 'ok', 'output', 'started', 'ms']), failed: new Set(['id', 'ok', 'error', 'started', 'ms']) },
} as const;
const RESULT_MESSAGE_KEYS = { 1: new Set(['v', 'run', 'results']), 2: new Set(['v', 'run', 'worker', 'cold', 'attempt', 'results']) } as const;

function isResult(value: unknown, v: 1 | 2): boolean {
  if (!isObject(value) || !isJobId(value.id) || !isDuration(value.ms)) return false;
  if (v === 2 && !isDuration(value.started)) return false;
  if (value.ok === true) return onlyKeys(value, RESULT_KEYS[v].ok) && 'output' in value && isJsonValue(value.output, 3);
  if (value.ok !== false || !onlyKeys(value, RESULT_KEYS[v].failed)) return false;
  const error = value.error;
  return isObject(error) && onlyKeys(error, ERROR_KEYS) && typeof error.name === 'string' && typeof error.message === 'string';
}

export function isResultMessage(value: unknown): boolean {
  if (!isObject(value)) return false;
  const v = value.v;
  if (v !== 1 && v !== 2) return false;
  if (!onlyKeys(value, RESULT_MESSAGE_KEYS[v]) || !isRunId(value.run)) return false;
  if (v === 2) {
    if (!isWorkerName(value.worker) || typeof value.cold !== 'boolean') return false;
    if (typeof value.attempt !== 'number' || !Number.isSafeInteger(value.attempt) || value.attempt < 1) return false;
  }
  const results = value.results;
  if (!Array.isArray(results) || results.length === 0) return false;
  for (const result of results) if (!isResult(result, v)) return false;
  return true;
}
