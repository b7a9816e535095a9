/**
 * How many jobs go in one message. One job per message keeps every job its own Lambda record
 * (the most parallel), but costs about six SQS requests per ten jobs end to end; packing cuts
 * that by the pack size. We pack only as far as keeps `parallelMessages` messages in the queue,
 * so small runs stay fully parallel (ten jobs: ten messages) and large ones get cheap.
 *
 * Lambda scales out with the messages waiting (about 100 concurrent batches of ten for 1,000
 * messages). Local workers do not: `concurrency` pollers per process take ten messages each, so
 * 250 messages still give every poller of a few processes several batches (and an even share of
 * a CPU-heavy run), while each request, which costs ~1 ms of CPU locally end to end, carries 4×
 * the jobs. Past 25,000 jobs a local run keeps 100 messages (ten batches: still several per
 * poller), so that 100,000 jobs take 1,000 a message and the run half the requests
 * (docs/performance.md: +15 % jobs/s, −1 µs of CPU a job).
 */
export const PACKING = {
  /** Below this many messages, jobs are not packed further (AWS: Lambda scales out with them). */
  parallelMessages: 1000,
  /** The same for a local endpoint (embedded server, LocalStack), whose workers are a fixed few. */
  localParallelMessages: 250,
  /** Above this many jobs, a local run is packed into `localLargeRunMessages` messages (up to `maxJobsPerMessage` jobs each). */
  localLargeRun: 25_000,
  localLargeRunMessages: 100,
  /** Upper bound on jobs per message, whatever their size. */
  maxJobsPerMessage: 1000,
  /**
   * A stream of inputs (stdin, an async iterable) that pauses this long, in ms, has what it gave so
   * far sent at once, in part-filled messages: its first results need not wait for its last input.
   */
  lingerMs: 100,
} as const;

/** @param parallelMessages the fewest messages a run is packed into (while it has that many jobs) */
export function autoJobsPerMessage(jobs: number, parallelMessages: number = PACKING.parallelMessages): number {
  return Math.min(PACKING.maxJobsPerMessage, Math.max(1, Math.ceil(jobs / parallelMessages)));
}

/** Jobs per message for a local endpoint: 250 messages for up to 25,000 jobs, 100 above. */
export function localJobsPerMessage(jobs: number): number {
  return autoJobsPerMessage(jobs, jobs > PACKING.localLargeRun ? PACKING.localLargeRunMessages : PACKING.localParallelMessages);
}
