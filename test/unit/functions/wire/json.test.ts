import { describe, expect, it } from 'vitest';
import { errorInfo } from '../../../../functions/wire/errors.js';
import { jsonProblem, parseExactJson } from '../../../../functions/wire/json.js';

describe('jsonProblem', () => {
  it.each([
    [undefined, 'the output is undefined, which JSON cannot carry (use null)'],
    [Number.NaN, 'the output is NaN, which JSON cannot carry'],
    [Number.POSITIVE_INFINITY, 'the output is Infinity, which JSON cannot carry'],
    [-0, 'the output is -0, which JSON carries as 0'],
    [10n, 'the output is a BigInt, which JSON cannot carry (use a string or a number)'],
    [() => 1, 'the output is a function, which JSON cannot carry'],
    [Symbol('s'), 'the output is a symbol, which JSON cannot carry'],
    [{ a: [1, undefined] }, 'the output.a[1] is undefined, which JSON cannot carry (use null)'],
    [{ m: new Map([[1, 2]]) }, 'the output.m is a Map, which JSON cannot carry (use an array or a plain object)'],
    [new Uint8Array(2), 'the output is a Uint8Array, which JSON cannot carry (use an array)'],
  ])('finds what JSON would change: %s', (value, problem) => {
    expect(jsonProblem(value, 'the output')).toBe(problem);
  });

  it('finds a cycle instead of overflowing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(jsonProblem(cyclic, 'the output')).toBe('the output.self refers back to itself (a cycle), which JSON cannot carry');
  });

  it('accepts what travels exactly: odd strings, __proto__ keys, shared (not cyclic) objects, Dates', () => {
    const shared = { x: 1 };
    const protoKey = JSON.parse('{"__proto__":1}') as unknown;
    for (const value of [null, 'a\ud800\uffff😀\u0000', 2 ** 53, -1.5, [shared, shared], protoKey, new Date(0), Object.create(null) as object]) {
      expect(jsonProblem(value)).toBeUndefined();
    }
  });

  it('stops at the nesting limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(jsonProblem(deep, 'x')).toMatch(/nests deeper than 256 levels/);
  });
});

describe('parseExactJson', () => {
  it('keeps what JSON.parse keeps exactly', () => {
    expect(parseExactJson('[9007199254740992, 1e20, 0.1, "x", {"__proto__": 1}]')).toEqual([9007199254740992, 1e20, 0.1, 'x', JSON.parse('{"__proto__": 1}')]);
  });
  it.each([
    ['9007199254740993', /the integer 9007199254740993 is beyond 2\^53 and would arrive as 9007199254740992/],
    ['{"a":[-18446744073709551617]}', /the integer -18446744073709551617 is beyond 2\^53/],
    ['1e309', /the number 1e309 is beyond what a double can hold/],
    ['-0', /-0 would arrive as 0/],
  ])('refuses %s', (text, problem) => {
    expect(() => parseExactJson(text)).toThrow(problem);
  });
});

describe('errorInfo', () => {
  it('never throws, whatever was thrown', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('gotcha'); } });
    const cases: unknown[] = [new TypeError('t'), 'a string', null, undefined, 42, 10n, Object.create(null), { name: 5, message: 'm' }, { message: 7 }, hostile, Symbol('s')];
    for (const thrown of cases) {
      const info = errorInfo(thrown);
      expect(typeof info.name).toBe('string');
      expect(typeof info.message).toBe('string');
    }
  });
  it('keeps what is there and says what was thrown', () => {
    expect(errorInfo(new TypeError('t'))).toEqual({ name: 'TypeError', message: 't' });
    expect(errorInfo('a string')).toEqual({ name: 'NonErrorThrown', message: 'a string' });
    expect(errorInfo(null)).toEqual({ name: 'NonErrorThrown', message: 'null' });
    expect(errorInfo({ name: 5, message: 'm' })).toEqual({ name: 'Error', message: 'm' });
    expect(errorInfo(Object.create(null))).toEqual({ name: 'NonErrorThrown', message: '[object Object]' });
  });
  it('clips a runaway message so the result still fits', () => {
    expect(errorInfo(new Error('x'.repeat(100_000))).message).toHaveLength(4096);
  });
});
