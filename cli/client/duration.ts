/** Durations as people write them: `'10m'`, `'90s'`, `'1.5h'`, `'250ms'`, or a number of ms. */
import { UsageError } from '../../functions/wire/errors.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A duration: milliseconds as a number, or a string with a unit (ms, s, m, h). */
export type Duration = number | `${number}${keyof typeof UNIT_MS}`;

/** @param what how the message names the option ("timeout") */
export function durationMs(value: Duration, what: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) return value;
  } else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(String(value));
    if (match) return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
  }
  throw new UsageError(`${what} must be a number of ms or a string like '90s', '10m', '1h' (given ${JSON.stringify(value)})`);
}
