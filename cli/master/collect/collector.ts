/**
 * The collector's working parts: receive from the run's result queue, take a batch (store it in
 * one transaction, then delete its messages), and know when to stop.
 *
 * Several receivers long-poll at once. A message is deleted only after the transaction that
 * stores its results has committed, so a collector killed (or a disk filled) at any moment
 * loses nothing, and the store's primary key makes any number of collectors, in any number of
 * processes, end with exactly one result per job.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { SQS_LIMITS } from '../../../functions/wire/constants.js';
import { parseResultMessage, type Result } from '../../../functions/wire/contract.js';
import { errorInfo, isMissingQueue, StorageError } from '../../../functions/wire/errors.js';
import { deleteMessages } from '../../../functions/wire/message-batches.js';
import { explainSqsError, isConnectionError } from '../../endpoint/aws-errors.js';
import type { Target } from '../../endpoint/target.js';
import type { MasterEmitter } from '../events.js';
import type { RunStore } from '../../store/run-store.js';
import { dispatchStopped, isComplete } from '../../store/run-state.js';
import type { IncomingMessage, MalformedMessage } from '../../store/types.js';

export type CollectorOptions = {
  target: Target;
  /** A client of the collector's own (its requests are counted apart from dispatch's). */
  sqs: SQSClient;
  store: RunStore;
  run: string;
  queueUrl: string;
  deadline: number;
  /** Long-poll receivers at most. */
  receivers: number;
  events: MasterEmitter | undefined;
  /** Awaited after each batch (see CollectOptions.pace). */
  pace?: (() => Promise<unknown> | undefined) | undefined;
};

/** Why collecting ended. */
export type CollectorEnd = 'complete' | 'timeout' | 'aborted' | 'dispatch-interrupted' | 'queue-gone';

export class Collector {
  readonly #options: CollectorOptions;
  readonly #done = new AbortController();
  #end: CollectorEnd | undefined;
  #fatal: Error | undefined;

  constructor(options: CollectorOptions) {
    this.#options = options;
  }

  get signal(): AbortSignal {
    return this.#done.signal;
  }

  /** Ends collecting; the first reason given is the one reported. */
  stop(reason: CollectorEnd): void {
    this.#end ??= reason;
    this.#done.abort();
  }

  /** Collects until complete, the deadline, stop(), or a fatal error (thrown). */
  async collect(): Promise<CollectorEnd> {
    if (this.#finished() || this.#sentAllIn()) return this.#end!;
    const helpers = new Set<Promise<void>>();
    const maxHelpers = this.#options.receivers - 1;
    const help = async (): Promise<void> => {
      for (let messages = await this.#receive(0); messages?.length; messages = await this.#receive(0)) await this.#take(messages);
    };
    // One receiver long-polls; while results flow in full batches, short-polling helpers join it.
    // Only the long poll is ever in flight when collecting ends, so aborting it can strand at most
    // one batch (the server may dequeue for a connection we dropped), not one per receiver.
    try {
      while (!this.#done.signal.aborted) {
        const wait = Math.min(SQS_LIMITS.maxWaitTimeSeconds, Math.max(0, Math.ceil((this.#options.deadline - Date.now()) / 1000)));
        const messages = await this.#receive(wait);
        if (!messages) break;
        while (messages.length === SQS_LIMITS.receiveMessages && helpers.size < maxHelpers) {
          const helper: Promise<void> = help().finally(() => helpers.delete(helper));
          helpers.add(helper);
        }
        if (messages.length > 0) await this.#take(messages);
        else this.#sentAllIn();
        if (Date.now() >= this.#options.deadline) this.stop('timeout');
      }
    } finally {
      await Promise.allSettled(helpers);
    }
    if (this.#fatal) throw this.#fatal;
    return this.#end ?? 'timeout';
  }

  /**
   * Once every job has a result, what is still on the queue (a repeat, a forgery, a malformed
   * message) is taken too, so that it is counted and reported before the run's queue is deleted.
   * Short polls, bounded; a message another reader holds is not waited for.
   */
  async drainRest(maxReceives = 100): Promise<void> {
    const { sqs, queueUrl, events } = this.#options;
    for (let receives = 0; receives < maxReceives; receives++) {
      let messages: Message[];
      try {
        const response = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: SQS_LIMITS.receiveMessages, WaitTimeSeconds: 0 }));
        messages = response.Messages ?? [];
      } catch (error) {
        if (!isMissingQueue(error)) events?.emit('warning', { message: `could not read what is left on run ${this.#options.run}'s queue: ${errorInfo(error).message}` });
        return;
      }
      if (messages.length === 0) return;
      await this.#take(messages);
      if (this.#fatal) throw this.#fatal;
    }
  }

  /**
   * drainRest, then: messages still held out of sight (by another collector, or by a long poll
   * this one dropped when it finished — the server may have handed them to the dropped request)
   * come back once their visibility timeout passes; they are waited for, at most that long, so
   * that a forged result sent before the end is reported before the queue goes.
   */
  async settleRest(): Promise<void> {
    const { sqs, queueUrl, events } = this.#options;
    await this.drainRest();
    let held: number;
    let visibilitySeconds: number;
    try {
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible', 'VisibilityTimeout'] }));
      held = Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      visibilitySeconds = Number(Attributes.VisibilityTimeout ?? 30);
    } catch {
      return;
    }
    if (held === 0) return;
    events?.emit('warning', { message: `${held} message(s) of run ${this.#options.run} are held out of sight: waiting up to ${visibilitySeconds} s for them (repeats of stored results, or forgeries to report)` });
    const until = Date.now() + (visibilitySeconds + 2) * 1000;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await this.drainRest();
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] })).catch(() => ({ Attributes: {} as Record<string, string> }));
      if (Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) === 0) return;
    }
  }

  /** One receive; undefined once collecting is over. */
  async #receive(waitTimeSeconds: number): Promise<Message[] | undefined> {
    const { sqs, queueUrl, target, events } = this.#options;
    if (this.#done.signal.aborted) return undefined;
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: SQS_LIMITS.receiveMessages, WaitTimeSeconds: waitTimeSeconds, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
        { abortSignal: this.#done.signal },
      );
      return this.#done.signal.aborted ? undefined : (response.Messages ?? []);
    } catch (error) {
      if (this.#done.signal.aborted) return undefined;
      if (isMissingQueue(error)) {
        // Another collector of this run stored the last result and deleted the queue.
        if (!this.#finished()) this.#fail(explainSqsError(error, target, queueUrl));
        else this.stop('queue-gone');
        return undefined;
      }
      if (isConnectionError(error)) {
        this.#fail(explainSqsError(error, target, queueUrl));
        return undefined;
      }
      events?.emit('warning', { message: `receive failed, retrying: ${errorInfo(error).message}` });
      await new Promise((resolve) => setTimeout(resolve, 500));
      return [];
    }
  }

  /** Stores a received batch in one transaction, then deletes its messages. */
  async #take(messages: Message[]): Promise<void> {
    const { sqs, queueUrl, events } = this.#options;
    const stored = this.#store(messages);
    if (!stored) return;
    // Only the receipts wait for the delete: the bodies and their parsed results are let go (held
    // across the request, they would outlive a young-generation collection and fill the old one).
    await deleteMessages(sqs, queueUrl, stored).catch((error: unknown) =>
      events?.emit('warning', { message: `delete failed (the results are stored; repeats will be dropped): ${errorInfo(error).message}` }),
    );
    if (!this.#finished()) this.#sentAllIn();
    await this.#options.pace?.();
  }

  /** Parses and stores a batch, reports what it held; the messages to delete, or undefined if nothing was stored. */
  #store(messages: readonly Message[]): Message[] | undefined {
    const { store, run, events } = this.#options;
    const incoming: IncomingMessage[] = [];
    const malformed: MalformedMessage[] = [];
    const jobs = store.getRun(run)?.jobs;
    for (const message of messages) {
      const body = message.Body ?? '';
      const messageId = message.MessageId ?? '';
      try {
        const parsed = parseResultMessage(body);
        if (parsed.run !== run) throw new Error(`it belongs to run ${parsed.run}, not ${run}`);
        if (jobs !== undefined) {
          for (const result of parsed.results) if (result.id >= jobs) throw new Error(`job id ${result.id} is outside run ${run}'s 0-${jobs - 1}`);
        }
        incoming.push({ messageId, origin: { worker: parsed.worker, cold: parsed.cold, attempt: parsed.attempt }, results: parsed.results, body });
      } catch (error) {
        malformed.push({ messageId, reason: errorInfo(error).message, body });
      }
    }
    let outcome;
    try {
      outcome = store.recordBatch(run, incoming, malformed);
    } catch (error) {
      // Nothing was stored, so nothing is deleted: the messages come back after their visibility timeout.
      this.#fail(error instanceof StorageError ? error : new StorageError(errorInfo(error).message, { cause: error }));
      return undefined;
    }
    for (const bad of malformed) events?.emit('malformed', { run, messageId: bad.messageId, reason: bad.reason });
    // One event per job: built only when someone listens (a run of millions has no per-job display).
    if (events && events.listenerCount('result') > 0) for (const result of outcome.fresh) events.emit('result', { run, result: result as Result });
    for (const conflict of outcome.conflicts) events?.emit('conflict', { run, conflict });
    for (const id of outcome.duplicates) events?.emit('duplicate', { run, id });
    return messages.map((message) => ({ MessageId: message.MessageId, ReceiptHandle: message.ReceiptHandle }));
  }

  /** True (and stops) once every job of the run has a stored result. */
  #finished(): boolean {
    const record = this.#options.store.getRun(this.#options.run);
    if (record && isComplete(record)) {
      this.stop('complete');
      return true;
    }
    return false;
  }

  /** True (and stops) if the dispatch stopped early and every job it sent has a result: nothing more can come. */
  #sentAllIn(): boolean {
    const record = this.#options.store.getRun(this.#options.run);
    if (record && dispatchStopped(record) && record.counts.done >= record.jobsSent) {
      this.stop('dispatch-interrupted');
      return true;
    }
    return false;
  }

  #fail(error: Error): void {
    this.#fatal ??= error;
    this.stop('aborted');
  }
}
