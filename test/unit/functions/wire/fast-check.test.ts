/**
 * The hand-written message checks (fast-check.ts) accept exactly what the contract's zod schemas
 * accept, and the hand-written explanations (explain.ts) name the same first problem as zod: on
 * 1,000 hostile bodies from the fault suite's generator, and on 20,000 valid messages mutated at
 * random (a key dropped, added or retyped, a value replaced by an odd one).
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { JobMessageSchema, ResultMessageSchema } from '../../../../functions/wire/contract-schemas.js';
import { explainJobMessage, explainResultMessage, type Problem } from '../../../../functions/wire/explain.js';
import { isJobMessage, isResultMessage } from '../../../../functions/wire/fast-check.js';
import { withinDepth } from '../../../../functions/wire/json.js';
import { generateFuzzCorpus } from '../../../faults/fuzz-corpus.js';
import { mulberry32, type Rng } from '../../../faults/rng.js';

const zodJob = (value: unknown) => withinDepth(value) && JobMessageSchema.safeParse(value).success;
const zodResult = (value: unknown) => withinDepth(value) && ResultMessageSchema.safeParse(value).success;

/** The path of zod's first issue ("" for the root), or undefined if zod accepts the value. */
function zodPath(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error.issues[0]!.path.join('.');
}

/** Explanations name zod's first issue, or nothing when zod accepts (within the depth limit, checked before either). */
function expectSameProblem(schema: z.ZodType, explain: (value: unknown) => Problem | undefined, value: unknown, label: string): void {
  if (!withinDepth(value)) return;
  expect(explain(value)?.path.join('.'), label).toBe(zodPath(schema, value));
}

// What JSON.parse can produce (never undefined; 1e309 gives Infinity).
const ODD: unknown[] = [null, 0, -1, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, Number.POSITIVE_INFINITY, '', 'x', 'R-1', 'r-ok', 'https://h/q', 'http:/nohost', ' https://h/q', true, false, [], {}, [1], { a: 1 }, JSON.parse('{"__proto__":1}'), 'a'.repeat(65), 'a'.repeat(513)];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function validJob(rng: Rng): Record<string, unknown> {
  const jobs = Array.from({ length: 1 + Math.floor(rng.next() * 3) }, (_, id) => ({ id, input: pick(rng, [1, 'two', null, [1, { a: 2 }], { deep: { x: [true] } }]) }));
  const base: Record<string, unknown> = { v: pick(rng, [1, 2]), run: 'r-1', task: 'square', jobs };
  if (base.v === 2 && rng.next() < 0.5) base.reply = 'http://127.0.0.1:4566/000000000000/fanout-finished-r-1';
  return base;
}

function validResult(rng: Rng): Record<string, unknown> {
  const v = pick(rng, [1, 2]);
  const results = Array.from({ length: 1 + Math.floor(rng.next() * 3) }, (_, id) => {
    const result: Record<string, unknown> = rng.next() < 0.5 ? { id, ok: true, output: pick(rng, [0, 'x', null, [1]]), ms: 1.5 } : { id, ok: false, error: { name: 'E', message: 'm' }, ms: 0 };
    if (v === 2) result.started = 1_700_000_000_000.5;
    return result;
  });
  return v === 1 ? { v, run: 'r-1', results } : { v, run: 'r-1', worker: 'w', cold: false, attempt: 1, results };
}

/** Sets an own property, as JSON.parse does (a plain assignment to "__proto__" would swap the prototype). */
function put(where: object, key: string, value: unknown): void {
  Object.defineProperty(where, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One random change somewhere in the message. */
function mutate(rng: Rng, value: Record<string, unknown>): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const containers: Array<Record<string, unknown> | unknown[]> = [copy];
  for (const item of Object.values(copy)) if (typeof item === 'object' && item !== null) containers.push(item as never);
  for (const list of Object.values(copy)) if (Array.isArray(list)) for (const item of list) if (typeof item === 'object' && item !== null) containers.push(item as never);
  const where = pick(rng, containers) as Record<string, unknown>;
  const keys = Object.keys(where);
  const roll = rng.next();
  if (roll < 0.3 && keys.length > 0) delete where[pick(rng, keys)];
  else if (roll < 0.4) put(where, pick(rng, ['extra', '__proto__', 'reply', 'started', 'output', 'error']), pick(rng, ODD));
  else if (keys.length > 0) put(where, pick(rng, keys), pick(rng, ODD));
  return copy;
}

describe('fast checks agree with the zod schemas', () => {
  it('on 1,000 hostile bodies from the fault suite', () => {
    // Prepare
    const corpus = generateFuzzCorpus(mulberry32(7), { count: 1000, run: 'r-fuzz', otherRun: 'r-main', hugeBytes: 20_000, maxHuge: 5 });
    let compared = 0;
    // Act / Assess
    for (const { body } of corpus.cases) {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        continue;
      }
      compared++;
      expect(isJobMessage(value), body.slice(0, 200)).toBe(zodJob(value));
      expect(isResultMessage(value), body.slice(0, 200)).toBe(zodResult(value));
      expectSameProblem(JobMessageSchema, explainJobMessage, value, body.slice(0, 200));
      expectSameProblem(ResultMessageSchema, explainResultMessage, value, body.slice(0, 200));
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("on 20,000 valid messages and mutations of them", async () => {
    // Prepare
    const rng = mulberry32(20_251_129);
    let accepted = 0;
    let refused = 0;
    // Act / Assess
    for (let i = 0; i < 10_000; i++) {
      for (const [make, fast, slow, schema, explain] of [
        [validJob, isJobMessage, zodJob, JobMessageSchema, explainJobMessage],
        [validResult, isResultMessage, zodResult, ResultMessageSchema, explainResultMessage],
      ] as const) {
        const valid = make(rng);
        expect(fast(valid)).toBe(true);
        expect(slow(valid)).toBe(true);
        const mutated = mutate(rng, valid);
        const verdict = slow(mutated);
        const label = (await import('node:util')).inspect(mutated, { depth: 9 });
        expect(fast(mutated), label).toBe(verdict);
        expectSameProblem(schema, explain, mutated, label);
        if (verdict) accepted++;
        else refused++;
      }
    }
    expect(accepted).toBeGreaterThan(1000);
    expect(refused).toBeGreaterThan(5000);
  });
});
