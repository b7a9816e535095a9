/**
 * JSON as the wire carries it: values that survive the trip exactly, text that SQS accepts, sizes
 * as SQS counts them. A value JSON would silently change (undefined dropped, NaN turned into
 * null, 2^53 + 1 rounded, a Map emptied) is refused with the reason, never sent altered.
 */
import { ContractError } from './errors.js';

/** Deepest nesting of arrays and objects a message may hold: deeper values cannot be checked safely. */
export const MAX_JSON_DEPTH = 256;

/** True if `value` nests arrays/objects no deeper than MAX_JSON_DEPTH. */
export function withinDepth(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_JSON_DEPTH) return false;
  for (const child of Array.isArray(value) ? value : Object.values(value)) if (!withinDepth(child, depth + 1)) return false;
  return true;
}

/**
 * Characters a message body cannot carry raw, though JSON carries them escaped: U+FFFE and U+FFFF
 * (SQS refuses them) and surrogates (lone ones are refused by SQS, pairs — emoji — by some
 * emulators). They can only occur inside JSON strings, where a \uXXXX escape means the same.
 */
const UNSENDABLE = /[\ud800-\udfff\ufffe\uffff]/g;

/** `json` (JSON text) with every character SQS refuses escaped. */
export function sendable(json: string): string {
  // Testing first keeps the common case (nothing to escape) from building a new string.
  return json.search(UNSENDABLE) >= 0 ? json.replace(UNSENDABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

/** JSON text of `value` whose every character SQS accepts. */
export function toWire(value: unknown): string {
  // A finite number's JSON is its string (-0 included): the common output and input, at no cost.
  if (typeof value === 'number' && Number.isFinite(value)) return `${value}`;
  return sendable(JSON.stringify(value));
}

/** Below this length a string's UTF-8 size is counted here: cheaper than a call into Buffer for each job's entry. */
const COUNTED_HERE = 128;

/** UTF-8 size of a message body: what SQS counts against its limit (a lone surrogate as U+FFFD's 3 bytes, as Buffer does). */
export function byteLength(body: string): number {
  if (body.length > COUNTED_HERE) return Buffer.byteLength(body, 'utf8');
  let bytes = body.length;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < body.length && (body.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: two units, four bytes.
      bytes += 2;
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** At least the UTF-8 size of `text`, without counting: no UTF-16 unit takes more than 3 bytes. */
export function byteBound(text: string): number {
  return text.length * 3;
}

/** Containers whose content JSON.stringify drops: `{}` is all that would arrive. */
const LOSSY = [Map, Set, WeakMap, WeakSet, ArrayBuffer, SharedArrayBuffer, Promise, RegExp] as const;

/**
 * Why `value` would not come back equal after JSON.stringify → JSON.parse, or undefined if it
 * would. Objects with `toJSON` (Date, say) are judged by what toJSON returns, as JSON does.
 * @param at where `value` sits, for the message (e.g. "the output")
 */
export function jsonProblem(value: unknown, at = 'the value'): string | undefined {
  // The common case, a plain number or string, costs no walk.
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) return undefined;
  return problemAt(value, at, 0, new Set());
}

function problemAt(v: unknown, path: string, depth: number, seen: Set<object>): string | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      if (!Number.isFinite(v)) return `${path} is ${v}, which JSON cannot carry`;
      if (Object.is(v, -0)) return `${path} is -0, which JSON carries as 0`;
      return undefined;
    case 'undefined':
      return `${path} is undefined, which JSON cannot carry (use null)`;
    case 'bigint':
      return `${path} is a BigInt, which JSON cannot carry (use a string or a number)`;
    case 'function':
    case 'symbol':
      return `${path} is a ${typeof v}, which JSON cannot carry`;
  }
  if (v === null) return undefined;
  const object = v as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return problemAt((object as { toJSON(): unknown }).toJSON(), path, depth, seen);
  if (depth >= MAX_JSON_DEPTH) return `${path} nests deeper than ${MAX_JSON_DEPTH} levels`;
  if (ArrayBuffer.isView(object)) return `${path} is a ${object.constructor.name}, which JSON cannot carry (use an array)`;
  for (const kind of LOSSY) if (object instanceof kind) return `${path} is a ${kind.name}, which JSON cannot carry (use an array or a plain object)`;
  if (seen.has(object)) return `${path} refers back to itself (a cycle), which JSON cannot carry`;
  seen.add(object);
  let problem: string | undefined;
  if (Array.isArray(object)) {
    for (let i = 0; i < object.length && !problem; i++) problem = problemAt(object[i], `${path}[${i}]`, depth + 1, seen);
  } else {
    for (const key of Object.keys(object)) {
      problem = problemAt((object as Record<string, unknown>)[key], `${path}.${key}`, depth + 1, seen);
      if (problem) break;
    }
  }
  seen.delete(object);
  return problem;
}

/**
 * Parses one JSON text, refusing what JSON.parse would silently change: integers beyond 2^53
 * (rounded), numbers beyond the double range (Infinity), -0 (sent back as 0).
 * Throws ContractError naming the problem.
 */
export function parseExactJson(text: string): unknown {
  let problem: string | undefined;
  const value: unknown = JSON.parse(text, function exact(this: unknown, _key: string, v: unknown, context?: { source?: string }) {
    if (typeof v === 'number' && problem === undefined) {
      const source = context?.source ?? String(v);
      if (!Number.isFinite(v)) problem = `the number ${source} is beyond what a double can hold`;
      else if (Object.is(v, -0)) problem = '-0 would arrive as 0';
      else if (/^-?\d+$/.test(source) && !Number.isSafeInteger(v) && BigInt(source) !== BigInt(v)) {
        problem = `the integer ${source} is beyond 2^53 and would arrive as ${BigInt(v)} (send it as a string)`;
      }
    }
    return v;
  });
  if (problem) throw new ContractError(problem);
  if (!withinDepth(value)) throw new ContractError(`it nests deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}
