/** The flags every command that talks to queues shares. */
import type { RunRecord } from '../store/types.js';

export type TargetFlags = {
  /** `local`, `aws` or an endpoint URL. */
  target?: string;
  /** A deployed stack to read the queues from. */
  stack?: string;
  /** A `cdk deploy --outputs-file` file. */
  outputsFile?: string;
};

/**
 * The target options for a command about a dispatched run: the flags, else FANOUT_TARGET, else
 * where the run store says its jobs went (and through which stack).
 */
export function runTargetOptions<F extends TargetFlags>(flags: F, run: RunRecord | undefined): F {
  return { ...flags, target: flags.target || process.env.FANOUT_TARGET || run?.target.name, stack: flags.stack || run?.target.stack };
}
