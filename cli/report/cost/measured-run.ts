/**
 * What cost reads of a run: where its workers ran, what it sent, and how long its jobs took. The
 * report's data is a superset of it; cost never needs the rest of the report.
 */

/** Where the workers run: the deployed stack's settings, or the defaults (1769 MB, arm64, us-east-1, max concurrency 50). */
export type LambdaSettings = {
  memoryMb: number;
  architecture: 'arm64' | 'x86_64';
  region: string;
  /** Standard mode's maximum concurrency (the stack's `maxConcurrency`). */
  maxConcurrency: number;
  /** Provisioned mode's pollers, for its prediction. @default - 2 and 200, AWS's defaults */
  pollers?: { minimum: number; maximum: number };
  /** The worker's timeout, in seconds. @default 60 (the stack's) */
  timeoutSeconds?: number;
  /** The account's concurrent executions in the region. @default 1000 (Lambda's default quota) */
  accountConcurrency?: number;
  /** The worker's reserved concurrency. @default - none */
  reservedConcurrency?: number;
};

/** One job as cost sees it: how long it ran, and on which delivery of its message. */
export type MeasuredJob = {
  ms: number; // job duration in ms (fractional)
  attempt: number | null; // delivery attempt of the message that carried it (ApproximateReceiveCount)
};

export type MeasuredRun = {
  run: { targetKind: 'aws' | 'endpoint'; target: string; jobs: number; messages: number };
  jobs: readonly MeasuredJob[];
  /** SQS requests counted by this run's dispatch and collect, by operation. */
  requests: { dispatch: Record<string, number>; collect: Record<string, number> };
  lambda: LambdaSettings;
  /**
   * Mean sizes of the jobs' inputs and outputs as JSON text, in bytes, if the run store knows them:
   * the ledger uses them to count SQS's 64 KB billing chunks.
   * @default - unknown: every request is taken to carry less than 64 KB
   */
  payload?: { avgInputBytes: number; avgOutputBytes: number };
};
