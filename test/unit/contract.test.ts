import { describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSION,
  MAX_JSON_DEPTH,
  encodeJobMessage,
  encodeResultMessage,
  packJobMessages,
  packResultMessages,
  parseJobMessage,
  parseResultMessage,
  peekRunId,
} from '../../functions/wire/contract.js';
import { ContractError, OversizeError } from '../../functions/wire/errors.js';

describe('job messages', () => {
  it('round-trips many jobs in one message', () => {
    // Prepare
    const jobs = [{ id: 0, input: 1 }, { id: 1, input: { deep: [1, 'two', null] } }];
    // Act
    const parsed = parseJobMessage(encodeJobMessage('r-1', 'square', jobs));
    // Assess
    expect(parsed).toEqual({ v: CONTRACT_VERSION, run: 'r-1', task: 'square', jobs });
  });

  it.each([
    ['not JSON', 'nope', /job message is not JSON/],
    ['an unknown version', JSON.stringify({ v: 99, run: 'r', task: 'square', jobs: [{ id: 0, input: 1 }] }), /invalid at v/],
    ['a missing run', JSON.stringify({ v: 1, task: 'square', jobs: [{ id: 0, input: 1 }] }), /invalid at run/],
    ['no jobs', JSON.stringify({ v: 1, run: 'r', task: 'square', jobs: [] }), /invalid at jobs/],
    ['a negative job id', JSON.stringify({ v: 1, run: 'r', task: 'square', jobs: [{ id: -1, input: 1 }] }), /invalid at jobs\.0\.id/],
    ['a fractional job id', JSON.stringify({ v: 1, run: 'r', task: 'square', jobs: [{ id: 1.5, input: 1 }] }), /invalid at jobs\.0\.id/],
    ['a job without input', JSON.stringify({ v: 1, run: 'r', task: 'square', jobs: [{ id: 0 }] }), /invalid at jobs\.0\.input/],
    ['an extra key', JSON.stringify({ v: 1, run: 'r', task: 'square', jobs: [{ id: 0, input: 1 }], admin: true }), /Unrecognized key/],
    ['a __proto__ key', '{"v":1,"run":"r","task":"square","jobs":[{"id":0,"input":1}],"__proto__":{"x":1}}', /Unrecognized key/],
    ['a bad task name', JSON.stringify({ v: 1, run: 'r', task: 'Square!', jobs: [{ id: 0, input: 1 }] }), /invalid at task/],
    ['a run id with slashes', JSON.stringify({ v: 1, run: '../etc', task: 'square', jobs: [{ id: 0, input: 1 }] }), /invalid at run/],
  ])('fails if the body has %s', (_, body, message) => {
    expect(() => parseJobMessage(body)).toThrow(ContractError);
    expect(() => parseJobMessage(body)).toThrow(message);
  });
});

describe('result messages', () => {
  it('round-trips ok and error results', () => {
    const results = [
      { id: 0, ok: true as const, output: 0, ms: 0.1 },
      { id: 1, ok: false as const, error: { name: 'Error', message: 'boom' }, ms: 2 },
    ];
    expect(parseResultMessage(encodeResultMessage('r-1', results)).results).toEqual(results);
  });

  it('fails if an ok result carries an error instead of an output', () => {
    const body = JSON.stringify({ v: 1, run: 'r', results: [{ id: 0, ok: true, error: { name: 'E', message: 'm' }, ms: 1 }] });
    expect(() => parseResultMessage(body)).toThrow(/result message is invalid at results\.0/);
  });
});

describe('packing', () => {
  const limits = { maxBytes: 200, maxEntries: 3 };

  it('packs jobs by count and by bytes, keeping order and producing valid messages', () => {
    // Prepare
    const jobs = Array.from({ length: 10 }, (_, id) => ({ id, input: 'x'.repeat(20) }));
    // Act
    const packed = Array.from(packJobMessages('r', 'square', jobs, limits));
    // Assess
    const unpacked = packed.flatMap((p) => parseJobMessage(p.body).jobs);
    expect(unpacked).toEqual(jobs);
    expect(packed.every((p) => Buffer.byteLength(p.body) <= limits.maxBytes)).toBe(true);
    expect(packed.every((p) => p.entries <= 3 && p.entries === parseJobMessage(p.body).jobs.length)).toBe(true);
  });

  it('packs what encodeJobMessage would encode', () => {
    const jobs = [{ id: 0, input: 1 }, { id: 1, input: [2] }];
    const [packed] = Array.from(packJobMessages('r', 'square', jobs, { maxBytes: 1000, maxEntries: 10 }));
    expect(packed!.body).toBe(encodeJobMessage('r', 'square', jobs));
  });

  it('fails if one job cannot fit in a message by itself', () => {
    const jobs = [{ id: 0, input: 'x'.repeat(500) }];
    expect(() => Array.from(packJobMessages('r', 'square', jobs, limits))).toThrow(OversizeError);
    expect(() => Array.from(packJobMessages('r', 'square', jobs, limits))).toThrow(/job of \d+ bytes does not fit in one message/);
  });

  it('packs results under the byte limit', () => {
    const results = Array.from({ length: 7 }, (_, id) => ({ id, ok: true as const, output: id, ms: 1 }));
    const packed = Array.from(packResultMessages('r', results, { maxBytes: 120, maxEntries: 100 }));
    expect(packed.length).toBeGreaterThan(1);
    expect(packed.flatMap((p) => parseResultMessage(p.body).results)).toEqual(results);
  });
});

describe('peekRunId', () => {
  it('finds the run of a message that is otherwise malformed', () => {
    expect(peekRunId('{"run":"r-7","jobs":"nope"}')).toBe('r-7');
  });
  it('gives up on bodies with no usable run', () => {
    expect(peekRunId('not json')).toBeUndefined();
    expect(peekRunId('{"run":"../../x"}')).toBeUndefined();
  });
});

describe('what SQS can carry', () => {
  it('escapes characters SQS refuses raw, and they read back the same', () => {
    const input = 'a\uffff\ufffe😀\ud800z';
    const body = encodeJobMessage('r', 'square', [{ id: 0, input }]);
    expect(body).not.toMatch(/[\ud800-\udfff\ufffe\uffff]/);
    expect(parseJobMessage(body).jobs[0]!.input).toBe(input);
  });

  it('keeps "__proto__" keys inside inputs as plain data', () => {
    const parsed = parseJobMessage('{"v":1,"run":"r","task":"square","jobs":[{"id":0,"input":{"__proto__":{"polluted":true}}}]}');
    const input = parsed.jobs[0]!.input as Record<string, unknown>;
    expect(Object.keys(input)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`fails if a message nests deeper than ${MAX_JSON_DEPTH} levels, with a ContractError`, () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const body = `{"v":1,"run":"r","task":"square","jobs":[{"id":0,"input":${deep}}]}`;
    expect(() => parseJobMessage(body)).toThrow(new ContractError(`job message nests deeper than ${MAX_JSON_DEPTH} levels`));
  });
});
