/**
 * How many jobs go in one message. One job per message keeps every job its own Lambda record
 * (the most parallel), but costs about six SQS requests per ten jobs end to end; packing cuts
 * that by the pack size. We pack only as far as keeps `parallelMessages` messages in the queue,
 * so small runs stay fully parallel (ten jobs: ten messages) and large ones get cheap.
 */
export const PACKING = {
  /** Below this many messages, jobs are not packed further. */
  parallelMessages: 1000,
  /** Upper bound on jobs per message, whatever their size. */
  maxJobsPerMessage: 1000,
} as const;

export function autoJobsPerMessage(jobs: number): number {
  return Math.min(PACKING.maxJobsPerMessage, Math.max(1, Math.ceil(jobs / PACKING.parallelMessages)));
}
