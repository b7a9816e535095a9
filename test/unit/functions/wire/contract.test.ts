import { describe, expect, it } from 'vitest';
import {
  CONTRACT_VERSION,
  encodeJobMessage,
  encodeResultMessage,
  isRunId,
  parseJobMessage,
  parseResultMessage,
  peekRunId,
  resultEntry,
  runAttributes,
  runOfAttributes,
} from '../../../../functions/wire/contract.js';
import { ContractError } from '../../../../functions/wire/errors.js';
import { MAX_JSON_DEPTH } from '../../../../functions/wire/json.js';

describe('job messages', () => {
  it('round-trips many jobs in one message, with the run\'s reply queue', () => {
    // Prepare
    const jobs = [{ id: 0, input: 1 }, { id: 1, input: { deep: [1, 'two', null] } }];
    // Act
    const parsed = parseJobMessage(encodeJobMessage('r-1', 'square', jobs, 'http://127.0.0.1:4566/000000000000/fanout-finished-r-1'));
    // Assess
    expect(parsed).toEqual({ v: CONTRACT_VERSION, run: 'r-1', task: 'square', reply: 'http://127.0.0.1:4566/000000000000/fanout-finished-r-1', jobs });
  });

  it('reads version 1 messages, which name no reply queue', () => {
    const parsed = parseJobMessage('{"v":1,"run":"r","task":"square","jobs":[{"id":0,"input":1}]}');
    expect(parsed).toEqual({ v: 1, run: 'r', task: 'square', jobs: [{ id: 0, input: 1 }] });
  });

  it.each([
    ['not JSON', 'nope', /job message is not JSON \(4 bytes starting "nope"\)/],
    ['an unknown version', JSON.stringify({ v: 99, run: 'r', task: 'square', jobs: [{ id: 0, input: 1 }] }), /invalid at v/],
    ['a missing run', JSON.stringify({ v: 2, task: 'square', jobs: [{ id: 0, input: 1 }] }), /invalid at run/],
    ['no jobs', JSON.stringify({ v: 2, run: 'r', task: 'square', jobs: [] }), /invalid at jobs/],
    ['a negative job id', JSON.stringify({ v: 2, run: 'r', task: 'square', jobs: [{ id: -1, input: 1 }] }), /invalid at jobs\.0\.id/],
    ['a fractional job id', JSON.stringify({ v: 2, run: 'r', task: 'square', jobs: [{ id: 1.5, input: 1 }] }), /invalid at jobs\.0\.id/],
    ['a job without input', JSON.stringify({ v: 2, run: 'r', task: 'square', jobs: [{ id: 0 }] }), /invalid at jobs\.0\.input/],
    ['an extra key', JSON.stringify({ v: 2, run: 'r', task: 'square', jobs: [{ id: 0, input: 1 }], admin: true }), /Unrecognized key/],
    ['a __proto__ key', '{"v":2,"run":"r","task":"square","jobs":[{"id":0,"input":1}],"__proto__":{"x":1}}', /Unrecognized key/],
    ['a bad task name', JSON.stringify({ v: 2, run: 'r', task: 'Square!', jobs: [{ id: 0, input: 1 }] }), /invalid at task/],
    ['a run id with slashes', JSON.stringify({ v: 2, run: '../etc', task: 'square', jobs: [{ id: 0, input: 1 }] }), /invalid at run/],
    ['a reply that is not a URL', JSON.stringify({ v: 2, run: 'r', task: 'square', reply: 'queue', jobs: [{ id: 0, input: 1 }] }), /invalid at reply/],
    ['a reply in version 1', JSON.stringify({ v: 1, run: 'r', task: 'square', reply: 'http://x/q', jobs: [{ id: 0, input: 1 }] }), /Unrecognized key/],
  ])('fails if the body has %s', (_, body, message) => {
    expect(() => parseJobMessage(body)).toThrow(ContractError);
    expect(() => parseJobMessage(body)).toThrow(message);
  });
});

describe('result messages', () => {
  const results = [
    { id: 0, ok: true as const, output: 0, started: 1_700_000_000_000, ms: 0.1 },
    { id: 1, ok: false as const, error: { name: 'Error', message: 'boom' }, started: 1_700_000_000_001, ms: 2 },
  ];

  it('round-trips ok and error results with who ran them', () => {
    const parsed = parseResultMessage(encodeResultMessage('r-1', results, { worker: 'pid:7', cold: true, attempt: 2 }));
    expect(parsed).toEqual({ v: 2, run: 'r-1', worker: 'pid:7', cold: true, attempt: 2, results });
  });

  it('reads version 1 results (no timing), and writes them for a version 1 job message', () => {
    const v1 = encodeResultMessage('r-1', results, { worker: 'w', cold: false, attempt: 1 }, 1);
    expect(JSON.parse(v1)).toEqual({ v: 1, run: 'r-1', results: results.map(({ started: _s, ...rest }) => rest) });
    expect(parseResultMessage(v1).results).toEqual(results.map(({ started: _s, ...rest }) => rest));
    expect(resultEntry(1, results[0]!)).toBe('{"id":0,"ok":true,"output":0,"ms":0.1}');
  });

  it.each([
    ['an ok result carrying an error', { v: 2, run: 'r', worker: 'w', cold: false, attempt: 1, results: [{ id: 0, ok: true, error: { name: 'E', message: 'm' }, started: 1, ms: 1 }] }, /invalid at results\.0/],
    ['an error whose name is not a string', { v: 2, run: 'r', worker: 'w', cold: false, attempt: 1, results: [{ id: 0, ok: false, error: { name: 5, message: 'm' }, started: 1, ms: 1 }] }, /invalid at results\.0\.error\.name/],
    ['a version 2 result without its start', { v: 2, run: 'r', worker: 'w', cold: false, attempt: 1, results: [{ id: 0, ok: true, output: 1, ms: 1 }] }, /invalid at results\.0\.started/],
    ['attempt 0', { v: 2, run: 'r', worker: 'w', cold: false, attempt: 0, results: [{ id: 0, ok: true, output: 1, started: 1, ms: 1 }] }, /invalid at attempt/],
  ])('fails if a result message has %s', (_, body, message) => {
    expect(() => parseResultMessage(JSON.stringify(body))).toThrow(message);
  });
});

describe('run ids and attributes', () => {
  it('accepts the ids fanout makes and refuses paths', () => {
    expect(isRunId('r-mk2abc-0a1b2c')).toBe(true);
    expect(isRunId('../../package')).toBe(false);
    expect(isRunId('x'.repeat(65))).toBe(false);
  });
  it('carries the run id in a message attribute both ways', () => {
    expect(runOfAttributes(runAttributes('r-7'))).toBe('r-7');
    expect(runOfAttributes(undefined)).toBeUndefined();
  });
  it('finds the run of a message that is otherwise malformed', () => {
    expect(peekRunId('{"run":"r-7","jobs":"nope"}')).toBe('r-7');
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
    const parsed = parseJobMessage('{"v":2,"run":"r","task":"square","jobs":[{"id":0,"input":{"__proto__":{"polluted":true}}}]}');
    const input = parsed.jobs[0]!.input as Record<string, unknown>;
    expect(Object.keys(input)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`fails if a message nests deeper than ${MAX_JSON_DEPTH} levels, with a ContractError`, () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const body = `{"v":2,"run":"r","task":"square","jobs":[{"id":0,"input":${deep}}]}`;
    expect(() => parseJobMessage(body)).toThrow(new ContractError(`job message nests deeper than ${MAX_JSON_DEPTH} levels`));
  });
});
