/** Checks on command-line values. Each message names the flag and the value given. */
import { UsageError } from '../../functions/wire/errors.js';

export function integerFlag(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
      throw new UsageError(`${flag} must be a whole number ${range} (given ${JSON.stringify(value)})`);
    }
    return n;
  };
}

/** A number in `unit`, fractions allowed: `--timeout 1.5`, `--max-cost 0.25`. */
export function numberFlag(flag: string, unit: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new UsageError(`${flag} must be a number of ${unit} from ${min} to ${max} (given ${JSON.stringify(value)})`);
    }
    return n;
  };
}

/** Seconds, fractions allowed: `--timeout 1.5`. */
export function secondsFlag(flag: string, min = 0, max = 86_400): (value: string) => number {
  return numberFlag(flag, 'seconds', min, max);
}

export function oneOf<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new UsageError(`${flag} must be one of ${choices.join(', ')} (given ${JSON.stringify(value)})`);
    }
    return value as T;
  };
}
