/**
 * Deleting received messages and changing their visibility, ten to a request as SQS allows.
 * Every chunk is tried; afterwards one `BatchEntriesError` says what failed — entries SQS
 * refused one by one (an expired receipt handle, say), and messages whose request failed whole
 * (the network) — so callers decide how much each matters.
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

/** An entry SQS refused on its own: the request went through, this message was not changed. */
export type RefusedEntry = { message: Message; code: string; reason: string };

/** What a batched delete or visibility change could not do. */
export class BatchEntriesError extends Error {
  override name = 'BatchEntriesError';
  constructor(
    message: string,
    /** Entries SQS refused one by one: for a receipt handle, `ReceiptHandleIsInvalid` means the message is no longer ours. */
    readonly refused: readonly RefusedEntry[],
    /** Messages whose request failed whole (after the SDK's retries): nothing is known of them; trying again is safe. */
    readonly unsent: readonly Message[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

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
  const refused: RefusedEntry[] = [];
  const unsent: Message[] = [];
  let reason = '';
  let cause: unknown;
  for (const entries of chunk(messages, SQS_LIMITS.batchEntries)) {
    try {
      const response = await send(entries);
      for (const failed of response.Failed ?? []) {
        const message = entries[Number(failed.Id)];
        if (message) refused.push({ message, code: failed.Code ?? 'Unknown', reason: failed.Message ?? '' });
      }
      if (response.Failed?.length) reason ||= `${response.Failed[0]!.Code}: ${response.Failed[0]!.Message ?? ''}`;
    } catch (error) {
      unsent.push(...entries);
      cause ??= error;
      reason ||= errorInfo(error).message;
    }
  }
  const failed = refused.length + unsent.length;
  if (failed > 0) throw new BatchEntriesError(`could not ${what} ${failed} of ${messages.length} message(s): ${reason}`, refused, unsent, { cause });
}
