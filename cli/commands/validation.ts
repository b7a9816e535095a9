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

/** `MIN:MAX` event pollers for provisioned mode, within AWS's ranges for SQS (2–200 and 2–2000, MIN ≤ MAX). */
export function pollersFlag(flag: string): (value: string) => { minimum: number; maximum: number } {
  return (value) => {
    const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(value);
    const [minimum, maximum] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
    if (!(minimum >= 2 && minimum <= 200 && maximum >= 2 && maximum <= 2000 && minimum <= maximum)) {
      throw new UsageError(`${flag} must be MIN:MAX event pollers, MIN from 2 to 200, MAX from MIN to 2000 (given ${JSON.stringify(value)})`);
    }
    return { minimum, maximum };
  };
}
