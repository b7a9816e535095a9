import { randomBytes } from 'node:crypto';

/** A run id that sorts by time and does not collide: r-<base36 ms>-<6 hex>. */
export function newRunId(now = Date.now()): string {
  return `r-${now.toString(36)}-${randomBytes(3).toString('hex')}`;
}
