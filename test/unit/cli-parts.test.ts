import { describe, expect, it } from 'vitest';
import { autoJobsPerMessage } from '../../cli/master/dispatch/pack-size.js';
import { parseEndpoint } from '../../cli/endpoint/resolve-target.js';
import { integerFlag, secondsFlag } from '../../cli/commands/validation.js';
import { idRanges } from '../../cli/output/summary.js';

describe('pack size', () => {
  it('keeps small runs at one job per message', () => {
    expect(autoJobsPerMessage(10)).toBe(1);
    expect(autoJobsPerMessage(1000)).toBe(1);
  });
  it('packs large runs', () => {
    expect(autoJobsPerMessage(100_000)).toBe(100);
  });
});

describe('flag validation', () => {
  it('fails if a count is not a whole number in range, naming flag and value', () => {
    expect(() => integerFlag('--count', 1)('ten')).toThrow('--count must be a whole number at least 1 (given "ten")');
    expect(() => integerFlag('--count', 1)('0')).toThrow('(given "0")');
    expect(() => integerFlag('--port', 0, 65535)('70000')).toThrow('--port must be a whole number from 0 to 65535 (given "70000")');
    expect(integerFlag('--count', 1)('12')).toBe(12);
  });
  it('fails if a timeout is negative or not a number', () => {
    expect(() => secondsFlag('--timeout')('-1')).toThrow('--timeout must be a number of seconds from 0 to 86400 (given "-1")');
    expect(secondsFlag('--timeout')('1.5')).toBe(1.5);
  });
  it('fails if a target is neither local, aws nor a URL', () => {
    expect(() => parseEndpoint('sqs.example')).toThrow(/--target must be local, aws or an http\(s\) URL/);
    expect(parseEndpoint('http://127.0.0.1:4566/')).toBe('http://127.0.0.1:4566');
  });
});

describe('idRanges', () => {
  it('folds runs of ids', () => {
    expect(idRanges([1, 2, 3, 7, 9, 10])).toBe('1-3, 7, 9-10');
  });
});
