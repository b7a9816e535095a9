/**
 * The root of fanout's state on this machine: `.fanout/` in the working directory, or FANOUT_HOME.
 * Every path under it is built by one function (master/paths.ts, endpoint/local-state.ts).
 */
import { resolve } from 'node:path';

export function fanoutHome(): string {
  return resolve(process.env.FANOUT_HOME || '.fanout');
}
