import { describe, expect, it } from 'vitest';
import { durationMs } from '../../../cli/client/duration.js';
import { UsageError } from '../../../functions/wire/errors.js';

describe('durationMs', () => {
  it.each([
    [1500, 1500],
    ['250ms', 250],
    ['90s', 90_000],
    ['10m', 600_000],
    ['1.5h', 5_400_000],
    [' 2 s ', 2000],
  ] as const)('reads %j as %i ms', (given, ms) => {
    expect(durationMs(given as never, 'timeout')).toBe(ms);
  });

  it.each([['10 minutes'], ['-1s'], [-5], [Number.NaN], ['']])('fails if given %j, naming the option and the value', (given) => {
    expect(() => durationMs(given as never, 'timeout')).toThrow(
      new UsageError(`timeout must be a number of ms or a string like '90s', '10m', '1h' (given ${JSON.stringify(given)})`),
    );
  });
});
