/**
 * A run's report data, read from the run store: its record, each job's result with its timing,
 * and the requests its dispatch and collect made.
 *
 * Lanes: a worker (a Lambda execution environment, a local process) runs the records of one
 * batch side by side, so its jobs overlap in time. Each worker's jobs are laid out in as few
 * lanes as keep bars from overlapping: "w", "w · 2", … — one lane per record running at once.
 */
import { effectiveState } from '../store/run-state.js';
import type { RunStore } from '../store/run-store.js';
import type { ReportData, ReportJob } from './report-data.js';

/** The defaults of the `Fanout` construct, for runs whose stack settings are not known. */
export const DEFAULT_LAMBDA: ReportData['lambda'] = { memoryMb: 1769, architecture: 'arm64', region: 'us-east-1', maxConcurrency: 50 };

export type LoadReportOptions = {
  /** Where the workers run (or would run). @default DEFAULT_LAMBDA */
  lambda?: Partial<ReportData['lambda']>;
};

export function loadReportData(store: RunStore, run: string, options: LoadReportOptions = {}): ReportData {
  const record = store.requireRun(run);
  const jobs: ReportJob[] = [];
  let outputBytes = 0;
  let outputs = 0;
  for (const result of store.results(run)) {
    jobs.push({
      id: result.id,
      ok: result.ok,
      ...(!result.ok && { error: result.error }),
      startedAt: result.started ?? null,
      ms: result.ms,
      worker: result.worker ?? null,
      attempt: result.attempt ?? null,
      coldStart: result.cold ?? null,
      receivedAt: result.receivedAt,
    });
    if (result.ok) {
      outputBytes += Buffer.byteLength(JSON.stringify(result.output));
      outputs++;
    }
  }
  const expected = record.jobs ?? record.jobsSent;
  return {
    run: {
      id: record.id,
      task: record.task,
      targetKind: record.target.connection,
      target: record.target.name,
      createdAt: record.createdAt,
      completedAt: record.completedAt ?? null,
      state: effectiveState(record),
      jobs: expected,
      messages: record.messagesSent,
      jobsPerMessage: record.jobsPerMessage,
    },
    counts: {
      ok: record.counts.ok,
      failed: record.counts.failed,
      missing: Math.max(0, expected - record.counts.done),
      duplicates: record.counts.duplicates,
      conflicts: record.counts.conflicts,
    },
    jobs: inLanes(jobs),
    requests: record.requests,
    lambda: { ...DEFAULT_LAMBDA, ...options.lambda },
    payload: {
      avgInputBytes: record.jobsSent > 0 ? record.inputBytes / record.jobsSent : 0,
      avgOutputBytes: outputs > 0 ? outputBytes / outputs : 0,
    },
  };
}

/** Renames each worker's jobs into non-overlapping lanes (see the header). */
export function inLanes(jobs: ReportJob[]): ReportJob[] {
  const byWorker = new Map<string, ReportJob[]>();
  for (const job of jobs) {
    if (job.worker === null || job.startedAt === null) continue;
    let list = byWorker.get(job.worker);
    if (!list) byWorker.set(job.worker, (list = []));
    list.push(job);
  }
  for (const [worker, list] of byWorker) {
    list.sort((a, b) => a.startedAt! - b.startedAt! || a.id - b.id);
    const laneEnds: number[] = [];
    for (const job of list) {
      let lane = laneEnds.findIndex((end) => end <= job.startedAt!);
      if (lane < 0) lane = laneEnds.push(0) - 1;
      laneEnds[lane] = job.startedAt! + job.ms;
      if (lane > 0) job.worker = `${worker} · ${lane + 1}`;
    }
  }
  return jobs;
}
