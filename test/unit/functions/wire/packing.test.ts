import { describe, expect, it } from 'vitest';
import { encodeJobMessage, parseJobMessage } from '../../../../functions/wire/contract.js';
import { OversizeError } from '../../../../functions/wire/errors.js';
import { pack, packJobMessages, Packer } from '../../../../functions/wire/packing.js';

describe('packing', () => {
  const limits = { maxBytes: 200, maxEntries: 3 };

  it('packs jobs by count and by bytes, keeping order and producing valid messages', () => {
    // Prepare
    const jobs = Array.from({ length: 10 }, (_, id) => ({ id, input: 'x'.repeat(20) }));
    // Act
    const packed = Array.from(packJobMessages({ run: 'r', task: 'square' }, jobs, limits));
    // Assess
    expect(packed.flatMap((p) => parseJobMessage(p.body).jobs)).toEqual(jobs);
    expect(packed.every((p) => Buffer.byteLength(p.body) <= limits.maxBytes)).toBe(true);
    expect(packed.every((p) => p.entries <= 3 && p.entries === parseJobMessage(p.body).jobs.length)).toBe(true);
  });

  it('packs what encodeJobMessage would encode', () => {
    const jobs = [{ id: 0, input: 1 }, { id: 1, input: [2] }];
    const [packed] = Array.from(packJobMessages({ run: 'r', task: 'square' }, jobs, { maxBytes: 1000, maxEntries: 10 }));
    expect(packed!.body).toBe(encodeJobMessage('r', 'square', jobs));
  });

  it('fails if one job cannot fit in a message by itself, naming the job and the limit', () => {
    const jobs = [{ id: 0, input: 'x'.repeat(500) }];
    expect(() => Array.from(packJobMessages({ run: 'r', task: 'square' }, jobs, limits))).toThrow(OversizeError);
    expect(() => Array.from(packJobMessages({ run: 'r', task: 'square' }, jobs, limits))).toThrow(/job 0 is 519 bytes on the wire, more than fits in one message \(limit \d+ bytes\)/);
  });

  it('counts the escaped bytes, not the characters: an emoji costs 12 bytes on the wire', () => {
    // Prepare: 😀 is 2 UTF-16 units, escaped to \ud83d\ude00 (12 bytes).
    const room = new Packer('{"jobs":[', { maxBytes: 100, maxEntries: 10 }).room;
    const fits = 'a'.repeat(room - 2);
    // Act / Assess
    expect(() => Array.from(pack('{"jobs":[', [JSON.stringify(fits)], { maxBytes: 100, maxEntries: 10 }))).not.toThrow();
    expect(() => Array.from(packJobMessages({ run: 'r', task: 's' }, [{ id: 0, input: '😀'.repeat(8) }], { maxBytes: 100, maxEntries: 10 }))).toThrow(/bytes on the wire/);
  });

  it('fills a body exactly to the limit, and no further', () => {
    const limits = { maxBytes: 50, maxEntries: 100 };
    const packer = new Packer('{"e":[', limits);
    const entry = '1'.repeat(packer.room);
    expect(packer.add(entry)).toBeUndefined();
    expect(Buffer.byteLength(packer.flush()!.body)).toBe(50);
    expect(() => packer.add('1'.repeat(packer.room + 1))).toThrow(/an entry of \d+ bytes does not fit/);
  });
});
