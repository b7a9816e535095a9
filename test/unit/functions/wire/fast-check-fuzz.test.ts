/**
 * The hand-written checks (fast-check.ts) and explanations (explain.ts) against the zod schemas on
 * bodies written as text, so that what only JSON text can say reaches them: duplicate keys (the
 * last wins), own "__proto__" keys at any depth, 1e400 (Infinity), -0, 1e-400, integers past 2^53,
 * lone surrogates, and changes at any depth — inside inputs, outputs and errors too.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { JobMessageSchema, ResultMessageSchema } from '../../../../functions/wire/contract-schemas.js';
import { explainJobMessage, explainResultMessage, type Problem } from '../../../../functions/wire/explain.js';
import { isJobMessage, isResultMessage } from '../../../../functions/wire/fast-check.js';
import { withinDepth } from '../../../../functions/wire/json.js';
import { mulberry32, type Rng } from '../../../faults/rng.js';

/** A JSON value as text will hold it: an object is a list of members, keys may repeat. */
type Node = { raw: string } | { list: Node[] } | { members: Array<[string, Node]> };

const raw = (text: string): Node => ({ raw: text });
const str = (text: string): Node => raw(JSON.stringify(text));
const obj = (members: Array<[string, Node]>): Node => ({ members });
const list = (items: Node[]): Node => ({ list: items });

function text(node: Node): string {
  if ('raw' in node) return node.raw;
  if ('list' in node) return `[${node.list.map(text).join(',')}]`;
  return `{${node.members.map(([key, value]) => `${JSON.stringify(key)}:${text(value)}`).join(',')}}`;
}

// Numbers and strings as text: some only text can write (1e400 parses to Infinity, 1e-400 to 0).
const ODD_TEXT = [
  '0', '-0', '1', '-1', '1.5', '0.5', '1e400', '-1e400', '1e-400', '9007199254740991', '9007199254740992', '9007199254740993',
  '1e21', '-1e-7', '2', '1E2', 'true', 'false', 'null', '""', '"NaN"', '"Infinity"', '"1"', '"r-1"', '"square"', '"Square"',
  '"\\ud800"', '"é"', '"https://h/q"', '"http://[::1]:1/q"', '"https://h:99999/q"', '"ftp://h/q"', '"https://h"', '"https://h/q q"',
  JSON.stringify('a'.repeat(64)), JSON.stringify('a'.repeat(65)), JSON.stringify('w'.repeat(512)), JSON.stringify('w'.repeat(513)),
  JSON.stringify('😀'.repeat(256)), JSON.stringify('😀'.repeat(257)),
  '[]', '{}', '[1]', '[{}]', '{"a":1}', '{"__proto__":1}', '{"__proto__":1e400}', '{"__proto__":{"x":1e400}}', '[1e400]', '{"a":1e400}',
];
const KEYS = ['v', 'run', 'task', 'reply', 'jobs', 'id', 'input', 'results', 'ok', 'output', 'error', 'name', 'message', 'ms', 'started', 'worker', 'cold', 'attempt', '__proto__', 'constructor', 'toString', 'extra', ''];

function jsonValue(rng: Rng, depth: number): Node {
  const roll = rng.next();
  if (depth > 2 || roll < 0.5) return raw(rng.pick(ODD_TEXT));
  if (roll < 0.75) return list(Array.from({ length: rng.int(0, 3) }, () => jsonValue(rng, depth + 1)));
  return obj(Array.from({ length: rng.int(0, 3) }, () => [rng.pick(KEYS), jsonValue(rng, depth + 1)] as [string, Node]));
}

function validJobMessage(rng: Rng): Node {
  const v = rng.pick([1, 2]);
  const jobs = list(Array.from({ length: rng.int(1, 3) }, (_, id) => obj([['id', raw(String(id))], ['input', jsonValue(rng, 0)]])));
  const members: Array<[string, Node]> = [['v', raw(String(v))], ['run', str('r-1')], ['task', str('square')]];
  if (v === 2 && rng.chance(0.5)) members.push(['reply', str('http://127.0.0.1:4566/000000000000/fanout-finished-r-1')]);
  members.push(['jobs', jobs]);
  return obj(members);
}

function validResultMessage(rng: Rng): Node {
  const v = rng.pick([1, 2]);
  const results = list(
    Array.from({ length: rng.int(1, 3) }, (_, id) => {
      const members: Array<[string, Node]> = [['id', raw(String(id))]];
      if (rng.chance(0.5)) members.push(['ok', raw('true')], ['output', jsonValue(rng, 0)]);
      else members.push(['ok', raw('false')], ['error', obj([['name', str('Error')], ['message', str('m')]])]);
      if (v === 2) members.push(['started', raw('1700000000000.5')]);
      members.push(['ms', raw('1.5')]);
      return obj(members);
    }),
  );
  const members: Array<[string, Node]> = [['v', raw(String(v))], ['run', str('r-1')]];
  if (v === 2) members.push(['worker', str('w')], ['cold', raw('false')], ['attempt', raw('1')]);
  members.push(['results', results]);
  return obj(members);
}

/** Every container in the tree, at any depth. */
function containers(node: Node, into: Node[] = []): Node[] {
  if ('raw' in node) return into;
  into.push(node);
  for (const child of 'list' in node ? node.list : node.members.map(([, value]) => value)) containers(child, into);
  return into;
}

/** One change somewhere in the tree (in place). */
function mutate(rng: Rng, root: Node): void {
  const where = rng.pick(containers(root));
  const odd = () => (rng.chance(0.8) ? raw(rng.pick(ODD_TEXT)) : jsonValue(rng, 0));
  if ('list' in where) {
    const roll = rng.next();
    if (roll < 0.3 && where.list.length > 0) where.list.splice(rng.int(0, where.list.length - 1), 1);
    else if (roll < 0.5) where.list.push(odd());
    else if (where.list.length > 0) where.list[rng.int(0, where.list.length - 1)] = odd();
    return;
  }
  if ('members' in where) {
    const roll = rng.next();
    const members = where.members;
    if (roll < 0.25 && members.length > 0) members.splice(rng.int(0, members.length - 1), 1);
    // A key again (JSON.parse keeps the last), before or after the first.
    else if (roll < 0.45 && members.length > 0) {
      const [key] = rng.pick(members);
      members.splice(rng.int(0, members.length), 0, [key, odd()]);
    } else if (roll < 0.6) members.splice(rng.int(0, members.length), 0, [rng.pick(KEYS), odd()]);
    else if (members.length > 0) rng.pick(members)[1] = odd();
  }
}

const zodAccepts = (schema: z.ZodType, value: unknown) => withinDepth(value) && schema.safeParse(value).success;
function zodPath(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]!.path.join('.');
}

describe('fast checks agree with the zod schemas on bodies written as text', () => {
  for (const [what, make, fast, explain, schema] of [
    ['job messages', validJobMessage, isJobMessage, explainJobMessage, JobMessageSchema],
    ['result messages', validResultMessage, isResultMessage, explainResultMessage, ResultMessageSchema],
  ] as const) {
    it(`on 20,000 ${what}, changed in one to three places at any depth`, () => {
      // Arrange
      const rng = mulberry32(what.length * 7919);
      const disagreements: string[] = [];
      let accepted = 0;
      // Act
      for (let i = 0; i < 20_000; i++) {
        const root = make(rng);
        const changes = i % 10 === 0 ? 0 : rng.int(1, 3);
        for (let c = 0; c < changes; c++) mutate(rng, root);
        const body = text(root);
        const value: unknown = JSON.parse(body);
        const verdict = zodAccepts(schema, value);
        if (verdict) accepted++;
        if (fast(value) !== verdict) disagreements.push(`check ${fast(value)} zod ${verdict}: ${body.slice(0, 300)}`);
        else if (withinDepth(value) && (explain as (v: unknown) => Problem | undefined)(value)?.path.join('.') !== zodPath(schema, value))
          disagreements.push(`explain ${explain(value)?.path.join('.')} zod ${zodPath(schema, value)}: ${body.slice(0, 300)}`);
      }
      // Assess
      expect(disagreements.slice(0, 10)).toEqual([]);
      expect(accepted).toBeGreaterThan(2000);
    });
  }
});

describe('bodies the checks and zod once disagreed on', () => {
  it('a "__proto__" key inside an input or output holds a JSON value, as every other key does', () => {
    // Arrange: z.json() skips "__proto__" keys; parse() hands them on (1e400 parses to Infinity)
    const job = JSON.parse('{"v":2,"run":"r-1","task":"square","jobs":[{"id":0,"input":{"__proto__":1e400}}]}') as unknown;
    const result = JSON.parse('{"v":1,"run":"r-1","results":[{"id":0,"ok":true,"output":[{"__proto__":{"x":1e400}}],"ms":1}]}') as unknown;
    const fine = JSON.parse('{"v":1,"run":"r-1","results":[{"id":0,"ok":true,"output":{"__proto__":{"x":1}},"ms":1}]}') as unknown;
    // Act / Assess
    expect([isJobMessage(job), JobMessageSchema.safeParse(job).success]).toEqual([false, false]);
    expect([isResultMessage(result), ResultMessageSchema.safeParse(result).success]).toEqual([false, false]);
    expect(zodPath(ResultMessageSchema, result)).toBe(explainResultMessage(result)?.path.join('.'));
    expect([isResultMessage(fine), ResultMessageSchema.safeParse(fine).success]).toEqual([true, true]);
  });

  it('a worker of 512 characters (1,024 UTF-16 units: emoji) is accepted, 513 refused', () => {
    // Arrange
    const message = (worker: string) => ({ v: 2, run: 'r-1', worker, cold: false, attempt: 1, results: [{ id: 0, ok: true, output: 0, started: 0, ms: 0 }] });
    // Act / Assess
    for (const [worker, ok] of [['😀'.repeat(512), true], ['😀'.repeat(513), false], ['😀'.repeat(511) + 'ab', false], ['\ud800'.repeat(512), true], ['\ud800'.repeat(513), false]] as const) {
      expect([isResultMessage(message(worker)), ResultMessageSchema.safeParse(message(worker)).success], `${worker.length} units`).toEqual([ok, ok]);
      expect(explainResultMessage(message(worker))?.path.join('.')).toBe(ok ? undefined : 'worker');
    }
  });
});
