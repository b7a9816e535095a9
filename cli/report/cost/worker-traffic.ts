/**
 * What Lambda's side of a run costs in SQS requests, which fanout cannot count (they happen in
 * AWS): the event source's pollers receive job messages 10 to a call and hand each batch of 10
 * (its batch size) to one invocation; the invocation packs each message's results into result
 * messages and sends them together, up to 10 to a SendMessageBatch call; the event source then
 * deletes the batch's messages in one DeleteMessageBatch.
 *
 * Assumes full batches. When the queue drains faster than it fills, the pollers hand over
 * smaller batches: more invocations and more calls than this.
 */
import { SQS_LIMITS } from '../../../functions/wire/constants.js';
import { addRequests, batchedCalls, handleCalls, receiveCalls, type Requests } from './sqs-requests.js';

/** The event source's batch size: job messages per invocation. */
export const BATCH_SIZE = SQS_LIMITS.receiveMessages;

export type WorkerTrafficInput = {
  /** Job messages delivered to the function (each redelivery counts again). */
  deliveries: number;
  jobMessageBytes: number;
  /** Result messages sent per job message (1 unless results outgrow a message). */
  resultMessagesPerDelivery: number;
  resultMessageBytes: number;
  chunkBytes: number;
};

export type WorkerTraffic = {
  invocations: number;
  receive: Requests;
  delete: Requests;
  send: Requests;
  resultMessages: number;
};

export function workerTraffic(input: WorkerTrafficInput): WorkerTraffic {
  const { deliveries, resultMessagesPerDelivery: perDelivery, resultMessageBytes, chunkBytes } = input;
  const fullInvocations = Math.floor(deliveries / BATCH_SIZE);
  const lastRecords = deliveries % BATCH_SIZE;
  // An invocation's results share SendMessageBatch calls; different invocations never do.
  const full = batchedCalls(BATCH_SIZE * perDelivery, resultMessageBytes, chunkBytes);
  const send = addRequests(
    { calls: fullInvocations * full.calls, billed: fullInvocations * full.billed },
    batchedCalls(lastRecords * perDelivery, resultMessageBytes, chunkBytes),
  );
  return {
    invocations: Math.ceil(deliveries / BATCH_SIZE),
    receive: receiveCalls(deliveries, input.jobMessageBytes, chunkBytes),
    delete: handleCalls(deliveries),
    send,
    resultMessages: deliveries * perDelivery,
  };
}
