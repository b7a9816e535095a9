/**
 * Coalesces single messages into SendMessageBatch calls: at most 10 entries and 1 MiB per call,
 * several calls in flight. Each `send` resolves when its own entry is accepted by SQS, or rejects
 * with a SendError naming why, so a caller (one SQS record, one dispatch) learns its own fate.
 *
 * Why not one SendMessage per message: each request costs money and a round trip; a batch of ten
 * costs one.
 */
import { SendMessageBatchCommand, type MessageAttributeValue, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { SQS_LIMITS } from './constants.js';
import { byteLength } from './json.js';
import { errorInfo, SendError } from './errors.js';

export type BatchSenderOptions = {
  /** SendMessageBatch calls in flight at once. @default 4 */
  maxInFlight?: number;
  /** Times an entry that SQS failed without blaming the sender is tried again. @default 3 */
  entryRetries?: number;
};

type Pending = {
  entry: SendMessageBatchRequestEntry;
  bytes: number;
  attempts: number;
  resolve: () => void;
  reject: (error: Error) => void;
};

export class BatchSender {
  readonly #sqs: SQSClient;
  readonly #queueUrl: string;
  readonly #maxInFlight: number;
  readonly #entryRetries: number;
  #open: Pending[] = [];
  #openBytes = 0;
  readonly #ready: Pending[][] = [];
  #inFlight = 0;
  #flushScheduled = false;
  #nextId = 0;
  #idle: Array<() => void> = [];

  constructor(sqs: SQSClient, queueUrl: string, options: BatchSenderOptions = {}) {
    this.#sqs = sqs;
    this.#queueUrl = queueUrl;
    this.#maxInFlight = options.maxInFlight ?? 4;
    this.#entryRetries = options.entryRetries ?? 3;
  }

  send(body: string, attributes?: Record<string, MessageAttributeValue>): Promise<void> {
    const bytes = byteLength(body) + attributeBytes(attributes);
    if (bytes > SQS_LIMITS.maxMessageBytes) {
      return Promise.reject(new SendError(`message of ${bytes} bytes exceeds the SQS limit of ${SQS_LIMITS.maxMessageBytes} bytes`));
    }
    return new Promise((resolve, reject) => {
      const entry: SendMessageBatchRequestEntry = { Id: String(this.#nextId++ % 1e9), MessageBody: body, MessageAttributes: attributes };
      this.#enqueue({ entry, bytes, attempts: 0, resolve, reject });
    });
  }

  /** Resolves once every entry sent so far has settled. */
  idle(): Promise<void> {
    if (this.#open.length === 0 && this.#ready.length === 0 && this.#inFlight === 0) return Promise.resolve();
    this.#scheduleFlush();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #enqueue(pending: Pending): void {
    if (this.#open.length >= SQS_LIMITS.batchEntries || this.#openBytes + pending.bytes > SQS_LIMITS.maxMessageBytes) {
      this.#seal();
    }
    this.#open.push(pending);
    this.#openBytes += pending.bytes;
    if (this.#open.length >= SQS_LIMITS.batchEntries) this.#seal();
    this.#scheduleFlush();
  }

  /** Closes the open batch so it can be sent. */
  #seal(): void {
    if (this.#open.length === 0) return;
    this.#ready.push(this.#open);
    this.#open = [];
    this.#openBytes = 0;
    this.#pump();
  }

  /** Partial batches go out once the current burst of `send` calls is over, not after a timer. */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#seal();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#ready.length > 0) {
      const batch = this.#ready.shift()!;
      this.#inFlight++;
      void this.#sendBatch(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
        if (this.#open.length === 0 && this.#ready.length === 0 && this.#inFlight === 0) {
          for (const resolve of this.#idle.splice(0)) resolve();
        }
      });
    }
  }

  async #sendBatch(batch: Pending[]): Promise<void> {
    let response;
    try {
      response = await this.#sqs.send(new SendMessageBatchCommand({ QueueUrl: this.#queueUrl, Entries: batch.map((p) => p.entry) }));
    } catch (error) {
      // The SDK has already retried transient errors; what is left is the caller's to handle.
      const { name, message } = errorInfo(error);
      for (const pending of batch) pending.reject(new SendError(`SendMessageBatch failed: ${name}: ${message}`, { cause: error }));
      return;
    }
    const unsettled = new Map(batch.map((p) => [p.entry.Id!, p]));
    for (const ok of response.Successful ?? []) {
      unsettled.get(ok.Id!)?.resolve();
      unsettled.delete(ok.Id!);
    }
    for (const failed of response.Failed ?? []) {
      const pending = unsettled.get(failed.Id!);
      if (!pending) continue;
      unsettled.delete(failed.Id!);
      if (!failed.SenderFault && pending.attempts < this.#entryRetries) {
        pending.attempts++;
        this.#enqueue(pending);
      } else {
        pending.reject(new SendError(`SQS refused a message: ${failed.Code}: ${failed.Message ?? 'no reason given'}`));
      }
    }
    for (const pending of unsettled.values()) pending.reject(new SendError('SendMessageBatch returned no status for a message'));
  }
}

/** What SQS counts of message attributes against the size limit: name, type and value. */
export function attributeBytes(attributes: Record<string, MessageAttributeValue> | undefined): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    bytes += byteLength(name) + byteLength(value.DataType ?? '') + byteLength(value.StringValue ?? '') + (value.BinaryValue?.byteLength ?? 0);
  }
  return bytes;
}
