/**
 * What the master (dispatch and collect) reports while it works. The terminal progress bar,
 * the plain-line output and `--json` all subscribe to these; library users can too.
 */
import { EventEmitter } from 'node:events';
import type { Result } from '../../functions/wire/contract.js';
import type { Conflict } from '../store/types.js';

export interface MasterEvents {
  /** The run is recorded and its result queue exists: collecting may start. `jobs` is unknown while inputs stream. */
  dispatching: [{ run: string; jobs: number | undefined; resultsQueue: string }];
  /** A window of job messages was accepted by SQS and logged: jobs 0 … jobs-1 are sent. */
  sent: [{ run: string; jobs: number; messages: number; totalJobs: number | undefined }];
  /** A job's first result was stored. */
  result: [{ run: string; result: Result }];
  /** A repeat of a stored result with the same outcome: counted, dropped. */
  duplicate: [{ run: string; id: number }];
  /** A repeat of a stored result with a different outcome: kept beside it, reported at the end. */
  conflict: [{ run: string; conflict: Conflict }];
  /** A message on the run's result queue that breaks the contract: stored in quarantine, then deleted. */
  malformed: [{ run: string; messageId: string; reason: string }];
  /** Collect gave up waiting; `missing` jobs (the first of them, of `count`) have no result. */
  timeout: [{ run: string; missing: number[]; count: number }];
  /** A recoverable problem (a failed receive, a failed delete): work goes on. */
  warning: [{ message: string }];
}

export class MasterEmitter extends EventEmitter<MasterEvents> {}
