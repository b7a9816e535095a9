/** What one benchmark run reports: the JSON line's shape, and its summary for people. */

export type BenchResult = {
  jobs: number;
  task: string;
  target: string;
  /** dispatch(): from its call to its return (every job message accepted by SQS). */
  dispatch_s: number;
  /** collect(): from dispatch's return to the last result written. */
  collect_s: number;
  /** dispatch_s + collect_s: dispatch start to collect end; workers were started before. */
  total_s: number;
  jobs_per_s: number;
  /** SQS requests of every client (dispatcher, workers, collector) by operation. */
  requests: Record<string, number>;
  requests_per_1k_jobs: number;
  /** Peak RSS of this process plus each worker process's own peak (a sum of high-water marks). */
  peak_rss_mb: number;
  /** Median wall time of the compiled `fanout run --local` for ten jobs, the whole command; null when skipped or dist/ is not built. */
  startup_ms: number | null;
  /** CPU time per job, in µs: `cpu_s` (every process) over the jobs. */
  per_job_us: number;
  /** Size of the run's report (`fanout report`: one HTML page), in MiB; rendered after the timed window and the RSS reading. */
  report_mb: number;
  requests_total: number;
  /** CPU time (user + system) of this process and every worker process from dispatch start to collect end. */
  cpu_s: number;
  requests_by_role: { dispatch: Record<string, number>; workers: Record<string, number>; collect: Record<string, number> };
  peak_rss_parent_mb: number;
  peak_rss_workers_mb: number[];
  /** Worker processes; 0 = pollers in the benchmark's process. */
  workers: number;
  pollers: number;
  /** collect's receivers when set with --receivers; null = collect's default. */
  receivers: number | null;
  messages: number;
  jobs_per_message: number;
  /** Every job has an ok result. */
  complete: boolean;
  ok: number;
  failed: number;
  duplicates: number;
  warnings: number;
  node: string;
};

export function formatSummary(r: BenchResult): string {
  const ops = Object.entries(r.requests)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ');
  const rss = r.peak_rss_workers_mb.length ? ` (this process ${r.peak_rss_parent_mb} MB + workers ${r.peak_rss_workers_mb.join(' + ')} MB)` : '';
  return [
    `${r.jobs} ${r.task} jobs on ${r.target} in ${r.messages} message(s) of ≤${r.jobs_per_message}: ${r.complete ? 'complete' : `INCOMPLETE (${r.ok} ok, ${r.failed} failed)`}`,
    `  dispatch ${r.dispatch_s.toFixed(3)} s + collect ${r.collect_s.toFixed(3)} s = ${r.total_s.toFixed(3)} s → ${r.jobs_per_s} jobs/s (CPU ${r.cpu_s.toFixed(3)} s)`,
    `  ${r.requests_total} SQS requests (${r.requests_per_1k_jobs} per 1,000 jobs): ${ops}`,
    `  peak RSS ${r.peak_rss_mb} MB${rss}; ${r.per_job_us} µs CPU per job; report ${r.report_mb} MB`,
    `  \`fanout run --local\` (10 jobs, compiled): ${r.startup_ms === null ? 'not measured' : `${r.startup_ms} ms`}`,
    '',
  ].join('\n');
}
