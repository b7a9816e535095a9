/**
 * Deleting received messages and changing their visibility, ten to a request as SQS allows.
 * Every chunk is tried; afterwards one error says what failed — a request, or entries SQS
 * refused (an expired receipt handle, say) — so callers decide how much it matters.
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type BatchResultErrorEntry,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { SQS_LIMITS } from './constants.js';
import { errorInfo } from './errors.js';
import { chunk } from './chunk.js';

export function deleteMessages(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  return inBatches(messages, 'delete', (entries) =>
    sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) })),
  );
}

/** Sets the messages' visibility timeout; 0 makes them receivable again at once. */
export function changeVisibility(sqs: SQSClient, queueUrl: string, messages: readonly Message[], seconds: number): Promise<void> {
  return inBatches(messages, `set the visibility of`, (entries) =>
    sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: entries.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: seconds })),
      }),
    ),
  );
}

async function inBatches(
  messages: readonly Message[],
  what: string,
  send: (entries: Message[]) => Promise<{ Failed?: BatchResultErrorEntry[] }>,
): Promise<void> {
  let failed = 0;
  let reason = '';
  for (const entries of chunk(messages, SQS_LIMITS.batchEntries)) {
    try {
      const response = await send(entries);
      if (response.Failed?.length) {
        failed += response.Failed.length;
        reason ||= `${response.Failed[0]!.Code}: ${response.Failed[0]!.Message ?? ''}`;
      }
    } catch (error) {
      failed += entries.length;
      reason ||= errorInfo(error).message;
    }
  }
  if (failed > 0) throw new Error(`could not ${what} ${failed} of ${messages.length} message(s): ${reason}`);
}
