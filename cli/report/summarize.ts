/** The run's headline numbers, as the summary shows them and the browser test reads them back. */
import { peakConcurrency } from './concurrency.js';
import type { ReportData } from './report-data.js';

export type ReportSummary = {
  jobs: number;
  ok: number;
  failed: number;
  missing: number;
  duplicates: number;
  conflicts: number;
  /** Results whose message was delivered more than once (attempt > 1). */
  retries: number;
  /** Results from workers that report no timing: left off the timeline. */
  untimed: number;
  coldStarts: number;
  workers: number;
  /** Where wall time starts: the first job's start, or the run's creation when no job has timing. */
  startAt: number;
  lastReceivedAt: number | null;
  /** Start → last result stored, in ms; null without results. */
  wallMs: number | null;
  /** Results (ok or failed) per second of wall time. */
  jobsPerSecond: number | null;
  peakConcurrency: number;
};

export function summarize(data: ReportData): ReportSummary {
  const { jobs, counts } = data;
  let firstStart = Infinity;
  let lastReceived = -Infinity;
  let retries = 0;
  let untimed = 0;
  let coldStarts = 0;
  const workers = new Set<string>();
  for (const job of jobs) {
    if (job.startedAt === null) untimed++;
    else firstStart = Math.min(firstStart, job.startedAt);
    lastReceived = Math.max(lastReceived, job.receivedAt);
    if ((job.attempt ?? 1) > 1) retries++;
    if (job.coldStart) coldStarts++;
    if (job.worker !== null) workers.add(job.worker);
  }
  const startAt = Number.isFinite(firstStart) ? firstStart : data.run.createdAt;
  const wallMs = jobs.length > 0 ? Math.max(0, lastReceived - startAt) : null;
  return {
    jobs: data.run.jobs,
    ok: counts.ok,
    failed: counts.failed,
    missing: counts.missing,
    duplicates: counts.duplicates,
    conflicts: counts.conflicts,
    retries,
    untimed,
    coldStarts,
    workers: workers.size,
    startAt,
    lastReceivedAt: jobs.length > 0 ? lastReceived : null,
    wallMs,
    jobsPerSecond: wallMs ? (counts.ok + counts.failed) / (wallMs / 1000) : null,
    peakConcurrency: peakConcurrency(jobs),
  };
}
