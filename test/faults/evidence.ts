/** What a run of the fault scenario leaves behind for the verdict (accounting.ts), and the summary it prints. */
import type { Conflict, Outcome } from '../../cli/store/types.js';
import type { Json } from '../../functions/wire/contract.js';
import type { FuzzCorpus } from './fuzz-corpus.js';
import type { SendFaultRecord } from './send-faults.js';
import type { ConflictsEvidence, StorageFullEvidence } from './side-runs.js';

/** The summary object the suite prints as its last line. */
export type FaultSummary = {
  jobs: number;
  results: number;
  lost: number;
  duplicated: number;
  failed_reported: number;
  dead_lettered: number;
  fuzzed: number;
  fuzz_crashes: number;
  worker_kills: number;
  collector_restarts: number;
  quarantined: number;
  concurrent_collectors: number;
  dispatch_kills: number;
  storage_full: number;
  conflicts_reported: number;
};

export type Exit = { code: number | null; signal: string | null };

export type FaultEvidence = {
  main: {
    run: string;
    /** Job i's input: a string (must throw that message) or `{ fail: false, value }`. */
    inputs: readonly Json[];
    /** The run's stored results, one JSON object per line. */
    resultLines: readonly string[];
    /** Bodies of the run's quarantined messages (repeats kept). */
    quarantined: readonly string[];
    /** Garbage bodies the suite sent straight to the run's result queue. */
    garbage: readonly string[];
    /** Results the suite forged, with another outcome, after the real ones were stored. */
    forged: ReadonlyArray<{ job: number; outcome: Outcome }>;
    /** Every conflict the store holds for the run. */
    conflicts: readonly Conflict[];
    /** The run's state in the store at the end. */
    state: string;
  };
  fuzz: {
    corpus: FuzzCorpus;
    /** Cases actually sent (a send the server refused is a suite failure, listed here as not sent). */
    sent: number;
    resultLines: readonly string[];
    /** Bodies of the fuzz run's quarantined messages. */
    quarantined: readonly string[];
    /** Conflicts the store holds for the fuzz run (its tasks are deterministic: a conflict is a repeat misjudged). */
    conflicts: number;
  };
  /** `faults-case` attribute of every DLQ message that has one (repeats kept). */
  deadLetteredCases: readonly number[];
  /** DLQ messages without a `faults-case` attribute: real jobs dead-lettered. */
  deadLetteredOther: number;
  /** Results still on a result queue (shared or a run's) at the end, as [run, id]. */
  leftoverResults: ReadonlyArray<readonly [string, number]>;
  /** Results the workers could not send because their run's queue was deleted, as [run, id]. */
  queueGone: ReadonlyArray<readonly [string, number]>;
  /** Messages still on the dispatched queue at the end. */
  leftoverJobMessages: number;
  sendFaults: { records: readonly SendFaultRecord[]; torn: number };
  duplicates: { jobMessagesResent: number; jobsResent: number; resultMessagesResent: number; resultsResent: number };
  workerKills: { requested: number; confirmed: number; midRun: number };
  collector: {
    requestedRestarts: number;
    restarts: number;
    /** The restarted collector's last life. */
    finalExitCode: number | null;
    finalSignal: string | null;
    crashes: readonly string[];
    /** Collector processes of the main run started together, and the most seen running at once. */
    concurrent: number;
    peak: number;
    /** Every collector life the suite did not kill. */
    exits: readonly Exit[];
  };
  /** The main run's dispatch: `final` is undefined when a killed life had already dispatched everything. */
  dispatch: { requestedKills: number; confirmedKills: number; final: Exit | undefined; finalStderr: string; jobsSent: number; jobs: number };
  /** Undefined when the side runs were not asked for. */
  storageFull: StorageFullEvidence | undefined;
  sideConflicts: ConflictsEvidence | undefined;
  /** Worker crashes, pool errors and unhandled rejections, one line each. */
  crashes: readonly string[];
};
