/**
 * A local stand-in for Lambda's SQS event source mapping: long-polls a queue, hands batches to
 * the same handler Lambda runs, deletes what succeeded and leaves the rest to come back after
 * the visibility timeout.
 *
 * Where it differs from AWS, on purpose or by necessity:
 * - Scaling is fixed: `concurrency` pollers, each invoking one batch at a time (AWS scales pollers
 *   with the backlog, up to `maximumConcurrency`).
 * - A handler that overruns `functionTimeoutMs` is reported (an `error`), but a promise cannot
 *   be killed: in this process the job runs on. Its records are kept invisible (their visibility
 *   extended, heartbeat or not) until it really ends, so the job never runs twice at once, and
 *   then its response is applied as usual. Lambda would have killed it and failed the whole
 *   batch. Worker processes (`WorkerProcesses`, used by `fanout local` and `fanout work`) do what
 *   Lambda does: the parent kills a child whose invocation overruns, and its records come back
 *   after the visibility timeout.
 * - `heartbeat` extends the visibility of in-flight messages while the handler runs; Lambda does
 *   not (it relies on visibility ≥ 6 × function timeout instead). Off for AWS-exact behaviour.
 * - A heartbeat or delete that SQS refuses for one entry (the visibility lapsed on a loaded
 *   machine; another consumer has the message) is a `lost` event, not an error: the message runs
 *   again and the collector drops the repeated result. Requests that fail whole are retried with
 *   backoff (`held-messages.ts`).
 * - A response that is not an object (a string, a number) counts as a full failure; AWS documents
 *   only "invalid JSON", and failing keeps the messages rather than losing them.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { SQS_LIMITS, WORKER_TIMEOUT_SECONDS } from '../../functions/wire/constants.js';
import { errorInfo } from '../../functions/wire/errors.js';
import { HeldMessages, type LostMessage } from './held-messages.js';
import { lambdaContext, regionOfArn, toSqsEvent } from './sqs-event.js';

export type EventSourcePollerOptions = {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  /** Any SQS-triggered Lambda handler; its response is read by Lambda's partial batch rules. */
  handler: (event: SQSEvent, context: Context) => Promise<unknown>;
  /** Records per invocation, 1-10000 (above 10, several receives fill one batch). @default 10 */
  batchSize?: number;
  /** How long to gather records for a batch above 10, in ms. @default 0 - invoke with what one receive returns */
  maximumBatchingWindowMs?: number;
  /** Pollers running at once, each invoking one batch at a time. @default 2 */
  concurrency?: number;
  /** An invocation running longer counts as failed. @default 60000 (the deployed worker's timeout) */
  functionTimeoutMs?: number;
  /** Long-poll wait per receive, in seconds (0-20). @default 20 */
  waitTimeSeconds?: number;
  /** Extend in-flight messages' visibility while the handler runs. @default true */
  heartbeat?: boolean;
  /** Name shown in the context and logs. @default 'fanout-local-worker' */
  functionName?: string;
};

/** What the poller reports. */
export interface PollerEvents {
  /** An invocation starts: its number in this poller, its records and how long it may run. */
  invoking: [{ id: number; records: number; timeoutMs: number }];
  /** A batch was handled: how many records it had, and how many were left for redelivery. */
  invoked: [{ id: number; records: number; failed: number; ms: number }];
  /** SQS refused to extend, delete or release a message it had taken back: it runs again. Not an error. */
  lost: [LostMessage];
  /** Receive, delete or heartbeat failed after retries, or the handler threw or overran; polling goes on. */
  error: [Error];
  /** `stop()` has finished: no receive or invocation is running. */
  stopped: [];
}

export class EventSourcePoller extends EventEmitter<PollerEvents> {
  readonly #options: Required<Omit<EventSourcePollerOptions, 'sqs' | 'handler'>> & Pick<EventSourcePollerOptions, 'sqs' | 'handler'>;
  readonly #region: string;
  #abort = new AbortController();
  #loops: Promise<void>[] = [];
  #visibilitySeconds: number | undefined;
  #stopping: Promise<void> | undefined;
  #draining = false;
  #invocations = 0;

  constructor(options: EventSourcePollerOptions) {
    super();
    // Field by field, so that an option given as undefined takes its default too.
    this.#options = {
      sqs: options.sqs,
      handler: options.handler,
      queueUrl: options.queueUrl,
      queueArn: options.queueArn,
      batchSize: options.batchSize ?? 10,
      maximumBatchingWindowMs: options.maximumBatchingWindowMs ?? 0,
      concurrency: options.concurrency ?? 2,
      functionTimeoutMs: options.functionTimeoutMs ?? WORKER_TIMEOUT_SECONDS * 1000,
      waitTimeSeconds: options.waitTimeSeconds ?? SQS_LIMITS.maxWaitTimeSeconds,
      heartbeat: options.heartbeat ?? true,
      functionName: options.functionName ?? 'fanout-local-worker',
    };
    validate(this.#options);
    this.#region = regionOfArn(options.queueArn);
  }

  get isRunning(): boolean {
    return this.#loops.length > 0 && !this.#stopping;
  }

  async start(): Promise<void> {
    if (this.#loops.length > 0) return;
    // Needed without the heartbeat too: an overrunning invocation is kept invisible until it ends.
    this.#visibilitySeconds = await this.#queueVisibility();
    this.#loops = Array.from({ length: this.#options.concurrency }, () => this.#poll());
  }

  /**
   * Stops receiving and waits for running invocations to finish (their outcome is applied as
   * usual). Receives already waiting are let run out (up to `waitTimeSeconds`) and whatever they
   * bring is released at once: dropping a long poll can leave its messages invisible for the whole
   * visibility timeout. `abort: true` drops them anyway, for a server that is going away too, and
   * does not wait for handlers that overran their timeout. Idempotent: every call returns the
   * same promise; a later `abort: true` still aborts.
   */
  stop(options: { abort?: boolean } = {}): Promise<void> {
    this.#draining = true;
    if (options.abort) this.#abort.abort();
    this.#stopping ??= (async () => {
      await Promise.allSettled(this.#loops);
      this.emit('stopped');
    })();
    return this.#stopping;
  }

  async #poll(): Promise<void> {
    const signal = this.#abort.signal;
    while (!this.#draining) {
      let messages: Message[];
      try {
        messages = await this.#receiveBatch(signal);
      } catch (error) {
        if (signal.aborted) return;
        this.emit('error', asError(error));
        await delay(1000, undefined, { signal }).catch(() => {});
        continue;
      }
      if (messages.length === 0) continue;
      if (this.#draining) await this.#hold(messages).release(messages);
      else await this.#invoke(messages);
    }
  }

  /** One receive, or several within the batching window, up to batchSize records. */
  async #receiveBatch(signal: AbortSignal): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowMs } = this.#options;
    const windowEnds = Date.now() + maximumBatchingWindowMs;
    const messages: Message[] = [];
    do {
      const waitTimeSeconds = messages.length === 0
        ? this.#options.waitTimeSeconds
        : Math.min(this.#options.waitTimeSeconds, Math.floor((windowEnds - Date.now()) / 1000));
      const response = await this.#options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#options.queueUrl,
          MaxNumberOfMessages: Math.min(SQS_LIMITS.receiveMessages, batchSize - messages.length),
          WaitTimeSeconds: Math.max(0, waitTimeSeconds),
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        { abortSignal: signal },
      );
      messages.push(...(response.Messages ?? []));
      if (!response.Messages?.length && messages.length > 0) break;
    } while (messages.length < batchSize && Date.now() < windowEnds && !this.#draining);
    return messages;
  }

  async #invoke(messages: Message[]): Promise<void> {
    const started = performance.now();
    const id = ++this.#invocations;
    const { functionTimeoutMs } = this.#options;
    const event = toSqsEvent(messages, this.#options.queueArn);
    const context = lambdaContext({ functionName: this.#options.functionName, region: this.#region, timeoutMs: functionTimeoutMs });
    // From here on only the receipts are kept: the bodies go with the event once the handler is done.
    const receipts = messages.map(receiptOf);
    const ids = receipts.map((m) => m.MessageId!);
    const held = this.#hold(receipts);
    if (this.#options.heartbeat) held.startHeartbeat(this.#visibilitySeconds!);
    this.emit('invoking', { id, records: ids.length, timeoutMs: functionTimeoutMs });
    const running = Promise.resolve().then(() => this.#options.handler(event, context));
    let failedIds: Set<string>;
    try {
      const response = await withTimeout(running, functionTimeoutMs).catch(async (error: unknown) => {
        if (!(error instanceof HandlerTimeoutError)) throw error;
        this.emit('error', error);
        // The job runs on and cannot be stopped here: keep its records invisible until it ends,
        // then apply its response (an abort, for a server going away, stops waiting).
        held.startHeartbeat(this.#visibilitySeconds!, { now: true });
        const late = await settledOrAborted(running, this.#abort.signal);
        if (!late.settled) return { batchItemFailures: ids.map((itemIdentifier) => ({ itemIdentifier })) };
        return running;
      });
      failedIds = failuresOf(response, ids);
    } catch (error) {
      this.emit('error', asError(error));
      failedIds = new Set(ids);
    } finally {
      await held.stopHeartbeat();
    }
    await held.delete(receipts.filter((m) => !failedIds.has(m.MessageId!)));
    this.emit('invoked', { id, records: ids.length, failed: failedIds.size, ms: performance.now() - started });
  }

  /** A batch's messages, held: extended, deleted or released with retries; entries SQS took back are `lost`. */
  #hold(messages: readonly Message[]): HeldMessages {
    return new HeldMessages({
      sqs: this.#options.sqs,
      queueUrl: this.#options.queueUrl,
      messages,
      onLost: (lost) => this.emit('lost', lost),
      onError: (error) => this.emit('error', error),
    });
  }

  async #queueVisibility(): Promise<number> {
    const { Attributes } = await this.#options.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: this.#options.queueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    return Number(Attributes?.VisibilityTimeout ?? 30);
  }
}

/**
 * The message ids Lambda would leave on the queue, per its documented rules: null/empty response
 * or batchItemFailures → none; a malformed response or an identifier that is empty or not in the
 * batch → all.
 */
export function failuresOf(response: unknown, messageIds: readonly string[]): Set<string> {
  const all = new Set(messageIds);
  if (response === undefined || response === null) return new Set();
  if (typeof response !== 'object' || Array.isArray(response)) return all;
  const failures = (response as Partial<SQSBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures as unknown[]) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    failed.add(id);
  }
  return failed;
}

/** What deleting, extending or releasing a message needs: its id and receipt handle, not its body. */
function receiptOf(message: Message): Message {
  return { MessageId: message.MessageId, ReceiptHandle: message.ReceiptHandle };
}

/** An invocation ran past the function timeout: its whole batch fails, as on Lambda. */
export class HandlerTimeoutError extends Error {
  override name = 'HandlerTimeoutError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeoutError(`handler ran past its ${ms} ms timeout: Lambda would stop it; here it runs on, its records kept invisible until it ends`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when the promise settles, however it settles, or when the signal aborts. */
function settledOrAborted(promise: Promise<unknown>, signal: AbortSignal): Promise<{ settled: boolean }> {
  if (signal.aborted) return Promise.resolve({ settled: false });
  return new Promise((resolve) => {
    const done = (settled: boolean) => () => {
      signal.removeEventListener('abort', aborted);
      resolve({ settled });
    };
    const aborted = done(false);
    signal.addEventListener('abort', aborted, { once: true });
    promise.then(done(true), done(true));
  });
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const { name, message } = errorInfo(error);
  return Object.assign(new Error(message), { name });
}

function validate(options: Required<Omit<EventSourcePollerOptions, 'sqs' | 'handler'>>): void {
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(message);
  };
  check(Number.isInteger(options.batchSize) && options.batchSize >= 1 && options.batchSize <= 10_000, `batchSize must be an integer from 1 to 10000 (given ${options.batchSize})`);
  check(Number.isInteger(options.concurrency) && options.concurrency >= 1, `concurrency must be a positive integer (given ${options.concurrency})`);
  check(options.waitTimeSeconds >= 0 && options.waitTimeSeconds <= 20, `waitTimeSeconds must be from 0 to 20 (given ${options.waitTimeSeconds})`);
  check(options.functionTimeoutMs > 0, `functionTimeoutMs must be positive (given ${options.functionTimeoutMs})`);
  check(options.maximumBatchingWindowMs >= 0 && options.maximumBatchingWindowMs <= 300_000, `maximumBatchingWindowMs must be from 0 to 300000 (given ${options.maximumBatchingWindowMs})`);
  check(options.batchSize <= 10 || options.maximumBatchingWindowMs >= 1000, `a batchSize above 10 needs maximumBatchingWindowMs of at least 1000, as on AWS (given ${options.maximumBatchingWindowMs})`);
}
