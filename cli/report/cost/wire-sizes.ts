/**
 * How big fanout's messages are, for counting SQS's billing chunks before a run is sent. The
 * sizes are modelled, not encoded: the estimate must not depend on the wire contract's code,
 * which changes by version. Measured on contract v1 bodies, rounded up, with room for v2's timing.
 */
import { MESSAGE_BODY_BYTES } from '../../../functions/wire/constants.js';

export const WIRE_SIZES = {
  /** A message's envelope: `{"v":1,"run":"r-…","task":"…","jobs":[` … `]}` (~60 B) and the run attribute (~35 B). */
  messageBytes: 100,
  /** One job inside a job message, less its input: `{"id":12345,"input":},` */
  jobEntryBytes: 24,
  /**
   * One result inside a result message, less its output: `{"id":12345,"ok":true,"output":,"ms":0.123},`
   * is 45 B in contract v1; v2's timing (start, worker, attempt, cold start) takes it to about 120 B.
   */
  resultEntryBytes: 120,
} as const;

/** Bytes of one job message carrying `jobs` jobs of `avgInputBytes` each. */
export function jobMessageBytes(jobs: number, avgInputBytes: number): number {
  return WIRE_SIZES.messageBytes + jobs * (WIRE_SIZES.jobEntryBytes + avgInputBytes);
}

/**
 * The result messages a worker sends for one job message: its results packed into as few
 * bodies as the body limit allows (the worker packs by size only).
 */
export function resultMessagesFor(jobs: number, avgOutputBytes: number): { messages: number; bytes: number } {
  const payload = jobs * (WIRE_SIZES.resultEntryBytes + avgOutputBytes);
  const messages = Math.max(1, Math.ceil(payload / (MESSAGE_BODY_BYTES - WIRE_SIZES.messageBytes)));
  return { messages, bytes: WIRE_SIZES.messageBytes + payload / messages };
}
