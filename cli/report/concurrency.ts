/** How many jobs ran at once: a sweep over the jobs' starts and ends. */
import type { ReportJob } from './report-data.js';

/**
 * The most jobs running at one instant. A job ending exactly when another starts does not
 * overlap it (ends are swept first), so back-to-back jobs on one worker count once.
 */
export function peakConcurrency(jobs: readonly ReportJob[]): number {
  const timed = jobs.filter((job) => job.startedAt !== null);
  const starts = Float64Array.from(timed, (job) => job.startedAt!).sort();
  const ends = Float64Array.from(timed, (job) => job.startedAt! + job.ms).sort();
  let running = 0;
  let peak = 0;
  let e = 0;
  for (const start of starts) {
    while (e < ends.length && ends[e]! <= start) {
      e++;
      running--;
    }
    running++;
    if (running > peak) peak = running;
  }
  return peak;
}
