/** What the run store holds, as the master's code sees it. */
import type { Json, Result } from '../../functions/wire/contract.js';

export type RunState = 'dispatching' | 'interrupted' | 'dispatched' | 'complete';

/** Where a run's inputs came from, and how `dispatch --resume` reads them again. */
export type InputsSpec =
  | { kind: 'count'; count: number }
  | { kind: 'file'; path: string; bytes: number; sha256: string }
  | { kind: 'stdin' }
  /** A FIFO or pipe given as --inputs (`<(…)`): read once, like stdin. */
  | { kind: 'pipe'; path: string }
  | { kind: 'values' };

export type RequestCounts = { dispatch: Record<string, number>; collect: Record<string, number> };

export type RunCounts = { done: number; ok: number; failed: number; duplicates: number; conflicts: number; quarantined: number };

export type RunRecord = {
  id: string;
  task: string;
  state: RunState;
  /** The target as named (local, aws, a URL), its connection kind and endpoint. */
  target: { name: string; connection: 'aws' | 'endpoint'; endpoint: string | undefined; stack: string | undefined };
  queues: { dispatched: string; deadLetter: string; results: string | undefined };
  resultsQueueDeleted: boolean;
  inputs: InputsSpec;
  jobsPerMessage: number;
  /** Jobs in the run; undefined while dispatch is still reading a stream of inputs. */
  jobs: number | undefined;
  jobsSent: number;
  messagesSent: number;
  /** Bytes of the sent jobs' inputs as JSON text. */
  inputBytes: number;
  dispatcher: { pid: number; host: string } | undefined;
  createdAt: number;
  dispatchedAt: number | undefined;
  completedAt: number | undefined;
  counts: RunCounts;
  requests: RequestCounts;
};

export type NewRun = Pick<RunRecord, 'id' | 'task' | 'target' | 'inputs' | 'jobsPerMessage' | 'jobs'> & {
  queues: { dispatched: string; deadLetter: string };
  dispatcher: { pid: number; host: string };
};

/** Who ran a result message's jobs (absent in version 1 messages). */
export type Origin = { worker?: string | undefined; cold?: boolean | undefined; attempt?: number | undefined };

/**
 * One result message as received: its results, parsed and checked, and the body they were
 * parsed from (stored as it is; without it, the results are stored as JSON).
 */
export type IncomingMessage = { messageId: string; origin: Origin; results: readonly Result[]; body?: string };

/** A message that broke the contract: kept whole in quarantine. */
export type MalformedMessage = { messageId: string; reason: string; body: string };

/** A result as stored. */
export type StoredResult = Result & Origin & { receivedAt: number; duplicates: number };

/** A second result for a job whose content differs from the stored one. */
export type Conflict = { job: number; kept: Outcome; other: Outcome & Origin & { receivedAt: number } };
export type Outcome = { ok: true; output: Json } | { ok: false; error: { name: string; message: string } };

/** What one stored batch did. */
export type BatchOutcome = {
  /** Results stored now for the first time: each job's one result. */
  fresh: Result[];
  /** Job ids whose result came again with the same outcome. */
  duplicates: number[];
  conflicts: Conflict[];
  quarantined: number;
};
