/**
 * How SQS bills a stream of batched calls. A batch call carries up to 10 entries and up to
 * 1 MiB; each 64 KB chunk of a call's payload is billed as one request, so a call is billed
 * ceil(payload / 64 KB) requests, at least one.
 */
import { SQS_LIMITS } from '../../../functions/wire/constants.js';

/** Calls made and requests billed. */
export type Requests = { calls: number; billed: number };

/** Requests billed for one call carrying `payloadBytes`. */
export function billedRequests(payloadBytes: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / chunkBytes));
}

/** Messages of `messageBytes` each that fit in one batch call: 10, or fewer when the 1 MiB batch limit binds. */
export function messagesPerCall(messageBytes: number): number {
  return Math.max(1, Math.min(SQS_LIMITS.batchEntries, Math.floor(SQS_LIMITS.maxMessageBytes / messageBytes)));
}

/**
 * Batch calls that move `messages` messages of `messageBytes` each, every call as full as the
 * limits allow (SendMessageBatch, and ReceiveMessage when the queue holds enough).
 */
export function batchedCalls(messages: number, messageBytes: number, chunkBytes: number): Requests {
  if (messages <= 0) return { calls: 0, billed: 0 };
  const perCall = messagesPerCall(messageBytes);
  const full = Math.floor(messages / perCall);
  const rest = messages % perCall;
  return {
    calls: full + (rest > 0 ? 1 : 0),
    billed: full * billedRequests(perCall * messageBytes, chunkBytes) + (rest > 0 ? billedRequests(rest * messageBytes, chunkBytes) : 0),
  };
}

/** Calls without a payload worth counting (DeleteMessageBatch: receipt handles only), 10 messages each. */
export function handleCalls(messages: number): Requests {
  const calls = Math.ceil(Math.max(0, messages) / SQS_LIMITS.batchEntries);
  return { calls, billed: calls };
}

export function addRequests(a: Requests, b: Requests): Requests {
  return { calls: a.calls + b.calls, billed: a.billed + b.billed };
}

/**
 * ReceiveMessage calls that take `messages` messages, 10 to a call (the most SQS returns, and the
 * event source's batch size). Each call is billed by the payload it returns.
 */
export function receiveCalls(messages: number, messageBytes: number, chunkBytes: number): Requests {
  if (messages <= 0) return { calls: 0, billed: 0 };
  const full = Math.floor(messages / SQS_LIMITS.receiveMessages);
  const rest = messages % SQS_LIMITS.receiveMessages;
  return {
    calls: full + (rest > 0 ? 1 : 0),
    billed: full * billedRequests(SQS_LIMITS.receiveMessages * messageBytes, chunkBytes) + (rest > 0 ? billedRequests(rest * messageBytes, chunkBytes) : 0),
  };
}
