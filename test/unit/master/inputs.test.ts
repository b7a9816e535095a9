import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs, type InputsSource } from '../../../cli/master/dispatch/inputs.js';
import { scratchDir } from '../../helpers/scratch.js';

async function all(source: InputsSource, skip = 0): Promise<Array<{ value: unknown; where: string }>> {
  const out = [];
  for await (const input of readInputs(source, skip)) out.push(input);
  return out;
}

async function file(text: string): Promise<string> {
  const path = join(await scratchDir('inputs-'), 'in.jsonl');
  await writeFile(path, text);
  return path;
}

describe('readInputs', () => {
  it('reads one JSON value per line, skipping blank lines, naming each line', async () => {
    // Prepare
    const path = await file('1\n"two"\n\n{"three":3}\n');
    // Act
    const inputs = await all({ kind: 'file', path });
    // Assess
    expect(inputs.map((i) => i.value)).toEqual([1, 'two', { three: 3 }]);
    expect(inputs.map((i) => i.where)).toEqual([`${path}:1`, `${path}:2`, `${path}:4`]);
  });

  it('skips the first inputs of a resumed run (blank lines do not count)', async () => {
    const path = await file('1\n\n2\n3\n');
    expect((await all({ kind: 'file', path }, 2)).map((i) => i.value)).toEqual([3]);
    expect((await all({ kind: 'count', count: 5 }, 3)).map((i) => i.value)).toEqual([3, 4]);
  });

  it.each([
    ['a line that is not JSON', '1\n2\n{oops\n', /in\.jsonl:3: not JSON/],
    ['an integer beyond 2^53', '1\n9007199254740993\n', /in\.jsonl:2: the integer 9007199254740993 is beyond 2\^53 and would arrive as 9007199254740992/],
    ['a number beyond the double range', '1e309\n', /in\.jsonl:1: the number 1e309 is beyond what a double can hold/],
    ['-0', '[-0]\n', /in\.jsonl:1: -0 would arrive as 0/],
    ['nesting past the limit', `${'['.repeat(300)}${']'.repeat(300)}\n`, /in\.jsonl:1: it nests deeper than 256 levels/],
    ['no inputs at all', '\n\n', /in\.jsonl: no inputs \(the file is empty\)/],
  ])('fails if the file has %s, naming the line', async (_, text, message) => {
    const path = await file(text);
    await expect(all({ kind: 'file', path })).rejects.toThrow(message);
  });

  it('keeps exact big numbers that JSON carries: 2^53 itself, 1e20, 0.1', async () => {
    const path = await file('9007199254740992\n1e20\n0.1\n');
    expect((await all({ kind: 'file', path })).map((i) => i.value)).toEqual([9007199254740992, 1e20, 0.1]);
  });

  it('fails if a value from a program cannot travel as JSON', async () => {
    await expect(all({ kind: 'values', values: [1, undefined] })).rejects.toThrow('input 1 is undefined, which JSON cannot carry (use null)');
    await expect(all({ kind: 'values', values: [1n] })).rejects.toThrow('input 0 is a BigInt');
    await expect(all({ kind: 'values', values: [{ m: new Map() }] })).rejects.toThrow('input 0.m is a Map');
  });

  it('fails if the file cannot be read', async () => {
    await expect(all({ kind: 'file', path: '/nonexistent/in.jsonl' })).rejects.toThrow('cannot read inputs file /nonexistent/in.jsonl: ENOENT');
  });
});
