/**
 * The messages of one invocation while the poller holds them: their visibility is extended while
 * the handler runs (the heartbeat), then the done ones are deleted, or all are released.
 *
 * SQS may take a message back: on a loaded machine a heartbeat can come after the visibility
 * lapsed, and another consumer may have received the message since. SQS then refuses that entry
 * (`ReceiptHandleIsInvalid`). That is a normal race of at-least-once delivery — the message runs
 * again and the collector drops the repeated result — so it is reported as `lost` with the
 * message id, never as an error. A request that fails whole (the network, an overloaded server)
 * is retried with backoff a bounded number of times; only then is it an error.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { BatchEntriesError, changeVisibility, deleteMessages } from '../../functions/wire/message-batches.js';

/** Waits before each retry of a request that failed whole: four tries in all, about 3 s. */
export const RETRY_DELAYS_MS = [200, 800, 2000] as const;

export type HeldOperation = 'heartbeat' | 'delete' | 'release';

/** A message SQS no longer let us extend, delete or release: it was, or will be, delivered again. */
export type LostMessage = { messageId: string; operation: HeldOperation; code: string };

export type HeldMessagesOptions = {
  sqs: SQSClient;
  queueUrl: string;
  messages: readonly Message[];
  onLost: (lost: LostMessage) => void;
  /** A request still failing after every retry. */
  onError: (error: Error) => void;
};

export class HeldMessages {
  readonly #options: HeldMessagesOptions;
  /** Messages still ours, by id: a lost one is neither extended nor reported twice. */
  readonly #held: Map<string, Message>;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #beating = false;

  constructor(options: HeldMessagesOptions) {
    this.#options = options;
    this.#held = new Map(options.messages.map((m) => [m.MessageId!, m]));
  }

  /**
   * Extends the held messages' visibility to `seconds` every third of it, until `stopHeartbeat`;
   * with `now`, the first time at once. Idempotent.
   */
  startHeartbeat(seconds: number, options: { now?: boolean } = {}): void {
    if (this.#beating || !(seconds > 0)) return;
    this.#beating = true;
    const schedule = (ms: number) => {
      this.#timer = setTimeout(() => {
        this.#tick = this.#apply('heartbeat', [...this.#held.values()], seconds).finally(() => {
          if (this.#beating) schedule((seconds * 1000) / 3);
        });
      }, ms);
      this.#timer.unref();
    };
    schedule(options.now ? 0 : (seconds * 1000) / 3);
  }

  get isBeating(): boolean {
    return this.#beating;
  }

  /** Stops the heartbeat and waits for a renewal under way, so that nothing extends a message after it is deleted. */
  async stopHeartbeat(): Promise<void> {
    this.#beating = false;
    clearTimeout(this.#timer);
    await this.#tick;
  }

  /** Deletes these messages (the done ones): retried when the request fails, `lost` for entries SQS refuses. */
  delete(messages: readonly Message[]): Promise<void> {
    return this.#apply('delete', messages.filter((m) => this.#held.has(m.MessageId!)));
  }

  /** Makes these messages receivable again at once. */
  release(messages: readonly Message[]): Promise<void> {
    return this.#apply('release', messages.filter((m) => this.#held.has(m.MessageId!)), 0);
  }

  async #apply(operation: HeldOperation, messages: readonly Message[], seconds?: number): Promise<void> {
    const { sqs, queueUrl } = this.#options;
    let pending = messages;
    for (let attempt = 0; pending.length > 0; attempt++) {
      try {
        if (operation === 'delete') await deleteMessages(sqs, queueUrl, pending);
        else await changeVisibility(sqs, queueUrl, pending, seconds!);
        pending = [];
      } catch (error) {
        const refused = error instanceof BatchEntriesError ? error.refused : [];
        for (const { message, code } of refused) this.#lose(message, operation, code);
        pending = error instanceof BatchEntriesError ? error.unsent : pending;
        if (pending.length === 0) break;
        // A heartbeat that was stopped meanwhile need not go on: the batch is being settled.
        const stopped = operation === 'heartbeat' && !this.#beating;
        if (attempt >= RETRY_DELAYS_MS.length || stopped) {
          if (!stopped) this.#options.onError(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        await delay(RETRY_DELAYS_MS[attempt]);
      }
    }
    if (operation !== 'heartbeat') for (const m of messages) this.#held.delete(m.MessageId!);
  }

  #lose(message: Message, operation: HeldOperation, code: string): void {
    if (!this.#held.delete(message.MessageId!)) return;
    this.#options.onLost({ messageId: message.MessageId!, operation, code });
  }
}
