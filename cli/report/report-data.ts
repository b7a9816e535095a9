/**
 * What a run report is drawn from: one run's record, its results with their timing, and the
 * requests it made. The run store fills it; `renderReport` and `runLedger` only read it.
 */
import type { LambdaSettings } from './cost/measured-run.js';

export type ReportJob = {
  id: number;
  ok: boolean;
  error?: { name: string; message: string };
  startedAt: number | null; // epoch ms when the job started on its worker (null: result from an old worker without timing)
  ms: number; // job duration in ms (fractional)
  worker: string | null; // e.g. 'pid:12345' locally, a Lambda log stream name on AWS
  attempt: number | null; // delivery attempt of the message that carried it (ApproximateReceiveCount)
  coldStart: boolean | null; // first invocation of that worker
  receivedAt: number; // epoch ms when the collector stored it
};

export type ReportData = {
  run: {
    id: string;
    task: string;
    targetKind: 'aws' | 'endpoint';
    target: string;
    createdAt: number;
    completedAt: number | null;
    state: string;
    jobs: number;
    messages: number;
    jobsPerMessage: number;
  };
  counts: { ok: number; failed: number; missing: number; duplicates: number; conflicts: number };
  jobs: ReportJob[];
  /** SQS requests counted by this run's dispatch and collect, by operation. */
  requests: { dispatch: Record<string, number>; collect: Record<string, number> };
  /** Where the workers run: the deployed stack's settings, or the defaults (1769 MB, arm64, us-east-1, max concurrency 50). */
  lambda: LambdaSettings;
  /**
   * Mean sizes of the jobs' inputs and outputs as JSON text, in bytes, if the run store knows them:
   * the cost ledger uses them to count SQS's 64 KB billing chunks.
   * @default - unknown: every request is taken to carry less than 64 KB
   */
  payload?: { avgInputBytes: number; avgOutputBytes: number };
};
