/**
 * How many jobs go in one message. One job per message keeps every job its own Lambda record
 * (the most parallel), but costs about six SQS requests per ten jobs end to end; packing cuts
 * that by the pack size. We pack only as far as keeps `parallelMessages` messages in the queue,
 * so small runs stay fully parallel (ten jobs: ten messages) and large ones get cheap.
 *
 * Lambda scales out with the messages waiting (about 100 concurrent batches of ten for 1,000
 * messages). Local workers do not: `concurrency` pollers per process take ten messages each, so
 * 250 messages still give every poller of a few processes several batches (and an even share of
 * a CPU-heavy run), while each request, which costs ~1.3 ms of CPU locally, carries 4× the jobs.
 */
export const PACKING = {
  /** Below this many messages, jobs are not packed further (AWS: Lambda scales out with them). */
  parallelMessages: 1000,
  /** The same for a local endpoint (embedded server, LocalStack), whose workers are a fixed few. */
  localParallelMessages: 250,
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
