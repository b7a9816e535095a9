/**
 * What the master (dispatch and collect) reports while it works. The terminal progress bar,
 * the plain-line output and `--json` all subscribe to these; library users can too.
 */
import { EventEmitter } from 'node:events';
import type { Result } from '../../functions/wire/contract.js';

export interface MasterEvents {
  /** Messages accepted by SQS so far during dispatch. */
  sent: [{ run: string; jobs: number; messages: number; totalJobs: number }];
  /** A job's first result arrived and was written. */
  result: [{ run: string; result: Result }];
  /** A result for a job that already had one: dropped. */
  duplicate: [{ run: string; id: number }];
  /** A message on the finished queue that breaks the contract: left alone. */
  malformed: [{ messageId: string; reason: string }];
  /** Collect gave up waiting; these jobs have no result. */
  timeout: [{ run: string; missing: number[] }];
  /** A recoverable problem (a failed receive, a failed delete): work goes on. */
  warning: [{ message: string }];
}

export class MasterEmitter extends EventEmitter<MasterEvents> {}
