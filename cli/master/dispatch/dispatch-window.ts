/**
 * One dispatch's jobs on their way out: packed into messages, sent a window at a time (up to
 * `concurrency` SendMessageBatch calls), and each window logged in the run store once SQS has
 * accepted it, before the next goes. What is logged is exactly what went out: an interrupted
 * dispatch resumes after the last logged window, and at most the one in flight goes twice.
 */
import { BatchSender } from '../../../functions/wire/batch-sender.js';
import { MESSAGE_BODY_BYTES, SQS_LIMITS } from '../../../functions/wire/constants.js';
import { jobEntry, jobMessageHead, runAttributes, type Json } from '../../../functions/wire/contract.js';
import { ServiceError, UsageError } from '../../../functions/wire/errors.js';
import { byteLength } from '../../../functions/wire/json.js';
import { Packer, type Packed } from '../../../functions/wire/packing.js';
import { explainSqsError } from '../../endpoint/aws-errors.js';
import type { Target } from '../../endpoint/target.js';
import type { MasterEmitter } from '../events.js';
import type { RunStore } from '../../store/run-store.js';
import type { RunRecord } from '../../store/types.js';

export const MESSAGE_LIMITS = { maxBytes: MESSAGE_BODY_BYTES };
/** `{"id":,"input":}` around a job's id and input. */
const ENTRY_OVERHEAD = '{"id":,"input":}'.length;

export type DispatchWindowOptions = {
  target: Target;
  store: RunStore;
  events?: MasterEmitter;
  /** SendMessageBatch calls per window. @default 8 */
  concurrency?: number;
  /** Checked after each full window: aborted, the dispatch stops there. */
  signal?: AbortSignal;
};

/** Thrown between windows when the signal aborts: not an error, a stop. */
export class DispatchInterrupted extends Error {}

export class DispatchWindow {
  readonly #run: string;
  readonly #total: number | undefined;
  readonly #options: DispatchWindowOptions;
  readonly #sender: BatchSender;
  readonly #packer: Packer;
  readonly #attributes: ReturnType<typeof runAttributes>;
  /** Messages in a full window. */
  readonly #size: number;
  #next: number;
  #first: number;
  #jobs = 0;
  #bytes = 0;
  #messagesSent: number;
  #window: Packed[] = [];

  /** Picks up where `record` left off; `reply` is the run's result queue, `total` its job count if known. */
  constructor(record: RunRecord, reply: string, total: number | undefined, options: DispatchWindowOptions) {
    const { target } = options;
    const concurrency = options.concurrency ?? 8;
    this.#run = record.id;
    this.#total = total;
    this.#options = options;
    this.#sender = new BatchSender(target.sqs, target.queues.dispatched.url, { maxInFlight: concurrency });
    this.#size = concurrency * SQS_LIMITS.batchEntries;
    this.#packer = new Packer(jobMessageHead({ run: record.id, task: record.task, reply }), { ...MESSAGE_LIMITS, maxEntries: record.jobsPerMessage });
    this.#attributes = runAttributes(record.id);
    this.#next = record.jobsSent;
    this.#first = this.#next;
    this.#messagesSent = record.messagesSent;
  }

  /** The next job's id: how many jobs were given so far. */
  get next(): number {
    return this.#next;
  }

  /** Jobs sent and logged: every job before this id. */
  get sent(): number {
    return this.#first;
  }

  get messagesSent(): number {
    return this.#messagesSent;
  }

  /** True while a job given has not been sent: in the window or in the message being packed. */
  get holding(): boolean {
    return this.#window.length > 0 || this.#packer.pending > 0;
  }

  /** Packs the next job; returns a message it filled. Not async: a run of millions adds them one after another. */
  add(value: Json): Packed | undefined {
    const entry = jobEntry(this.#next, value);
    const bytes = byteLength(entry);
    // The input's share of the entry: what the cost ledger counts as payload.
    this.#bytes += bytes - ENTRY_OVERHEAD - String(this.#next).length;
    const packed = this.#packer.add(entry, bytes);
    this.#next++;
    return packed;
  }

  /** Puts a filled message in the window, and sends the window once it is full. */
  async take(packed: Packed): Promise<void> {
    this.#window.push(packed);
    this.#jobs += packed.entries;
    if (this.#window.length >= this.#size) {
      await this.send();
      if (this.#options.signal?.aborted) throw new DispatchInterrupted();
    }
  }

  /** Sends what is held: the message being packed, then the window. */
  async flush(): Promise<void> {
    const packed = this.#packer.flush();
    if (packed) await this.take(packed);
    await this.send();
  }

  /** Sends the window, then logs it in the store. */
  async send(): Promise<void> {
    if (this.#window.length === 0) return;
    const { target, store, events } = this.#options;
    const window = this.#window;
    const outcomes = await Promise.allSettled(window.map((message) => this.#sender.send(message.body, this.#attributes)));
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed.length > 0) {
      const reason = explainSqsError(failed[0]!.reason, target, target.queues.dispatched.url);
      const As = reason instanceof UsageError ? UsageError : ServiceError;
      throw new As(`${failed.length} of ${window.length} messages were not sent: ${reason.message}`, { cause: reason });
    }
    store.logSent(this.#run, { firstJob: this.#first, jobs: this.#jobs, messages: window.length, inputBytes: this.#bytes });
    this.#messagesSent += window.length;
    events?.emit('sent', { run: this.#run, jobs: this.#first + this.#jobs, messages: this.#messagesSent, totalJobs: this.#total });
    this.#first += this.#jobs;
    this.#jobs = 0;
    this.#bytes = 0;
    this.#window = [];
  }
}
