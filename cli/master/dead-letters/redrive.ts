/**
 * redrive: moves dead-lettered job messages back to the dispatched queue — one run's, or all —
 * after the cause (a bug in a task, a missing permission) has been fixed.
 *
 * The dead-letter queue is read in passes. A pass receives ten messages at a time; of each
 * receive, the messages it takes are copied with one SendMessageBatch, and exactly those whose copy
 * SQS accepted are deleted with one DeleteMessageBatch. A crash or a refused copy therefore
 * duplicates at worst (collect drops duplicate results), never loses. Messages it does not take
 * (another run's, or a refused copy) stay hidden until the pass ends, so that the pass meets each
 * message once, and are then released (visibility 0). A pass ends when a receive brings nothing it
 * has not met: the queue is empty, or holds only what the pass is already holding.
 *
 * Passes repeat while they move something (messages dead-lettered meanwhile, or missed by a
 * receive), at most `maxPasses` times; the first pass that moves nothing ends the redrive and
 * counts what is left. A message on another reader's hold (a collect listing the queue) is not met
 * until that hold ends.
 */
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { BatchSender } from '../../../functions/wire/batch-sender.js';
import { SQS_LIMITS } from '../../../functions/wire/constants.js';
import { runAttributes } from '../../../functions/wire/contract.js';
import { errorInfo } from '../../../functions/wire/errors.js';
import { changeVisibility, deleteMessages } from '../../../functions/wire/message-batches.js';
import type { Target } from '../../endpoint/target.js';
import { readLetter, type DeadLetter } from './scan-dead-letters.js';

export type RedriveOptions = {
  target: Target;
  /** The run whose messages to move; undefined moves every message. */
  run: string | undefined;
  /** Most passes over the queue, should every pass keep finding new messages to move. @default 10 */
  maxPasses?: number;
  /** Long-poll wait of each receive, in seconds: how long a pass listens to an empty queue before it ends. @default 1 */
  waitTimeSeconds?: number;
  /** How long a received message stays hidden from other readers while a pass holds it, in seconds. @default 60 */
  visibilityTimeoutSeconds?: number;
};

export type RedriveReport = {
  /** Messages copied to the dispatched queue (each counted once, whatever the passes). */
  messages: number;
  /** Jobs in those messages (a message that breaks the contract counts none). */
  jobs: number;
  /** Messages to move whose copy SQS refused in the last pass: they stay in the dead-letter queue. */
  failed: number;
  /**
   * Messages to move (the run's, or any) still in the dead-letter queue at the end: the refused ones,
   * and copied ones whose delete failed (as far as SQS said).
   */
  remaining: number;
  /** Passes over the queue. */
  passes: number;
  /** Why something remains: the first refusal or failed request. */
  reason?: string;
};

export async function redrive(options: RedriveOptions): Promise<RedriveReport> {
  const maxPasses = options.maxPasses ?? 10;
  const moving = new Redrive(options);
  while (moving.report.passes < maxPasses) {
    moving.report.passes++;
    if ((await moving.pass()) === 0) break;
  }
  return moving.finish();
}

/** One redrive across its passes: what it copied, what it could not delete, the first reason why. */
class Redrive {
  readonly report: RedriveReport = { messages: 0, jobs: 0, failed: 0, remaining: 0, passes: 0 };
  readonly #options: RedriveOptions;
  readonly #url: string;
  readonly #sender: BatchSender;
  /** Ids of messages whose copy SQS accepted; met again, such a message is only deleted. */
  readonly #copied = new Set<string>();
  /** Of those, the ones whose delete failed. */
  readonly #undeleted = new Set<string>();
  #reason: string | undefined;

  constructor(options: RedriveOptions) {
    this.#options = options;
    this.#url = options.target.queues.deadLetter.url;
    this.#sender = new BatchSender(options.target.sqs, options.target.queues.dispatched.url);
  }

  /** One pass; returns how many messages it copied or finished deleting. */
  async pass(): Promise<number> {
    /** Ids of the messages this pass has met. */
    const met = new Set<string>();
    /** Messages left in place for now, by id, with their latest receipt handle. */
    const held = new Map<string, Message>();
    let progress = 0;
    this.report.failed = 0;
    try {
      for (;;) {
        const fresh = await this.#receiveFresh(met, held);
        if (fresh.length === 0) return progress;
        progress += await this.#move(fresh, held);
      }
    } finally {
      // If this fails, the held messages come back when their visibility timeout ends: delayed, not lost.
      await changeVisibility(this.#options.target.sqs, this.#url, [...held.values()], 0).catch(() => {});
    }
  }

  /** The report, once the passes are over: what is left and why. */
  finish(): RedriveReport {
    const { report } = this;
    report.remaining = report.failed + this.#undeleted.size;
    if (report.remaining > 0 && this.#reason !== undefined) report.reason = this.#reason;
    return report;
  }

  /** Receives up to ten messages; returns those the pass had not met yet. */
  async #receiveFresh(met: Set<string>, held: Map<string, Message>): Promise<Message[]> {
    const { target, visibilityTimeoutSeconds, waitTimeSeconds } = this.#options;
    const { Messages = [] } = await target.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.#url,
        MaxNumberOfMessages: SQS_LIMITS.receiveMessages,
        VisibilityTimeout: visibilityTimeoutSeconds ?? 60,
        WaitTimeSeconds: waitTimeSeconds ?? 1,
        MessageAttributeNames: ['All'],
      }),
    );
    // A message met again has outlived its hold, or is a copied one whose delete failed: the pass
    // has been round the queue. Either is released at the end (with its latest receipt handle),
    // so the next pass meets it at once.
    return Messages.filter((m) => {
      const id = m.MessageId!;
      if (met.has(id)) {
        held.set(id, m);
        return false;
      }
      met.add(id);
      return true;
    });
  }

  /** Copies the messages to move, deletes those copied (now or before); returns how many it copied or finished deleting. */
  async #move(fresh: Message[], held: Map<string, Message>): Promise<number> {
    const { run } = this.#options;
    const take: DeadLetter[] = [];
    const deleteOnly: Message[] = [];
    for (const message of fresh) {
      const letter = readLetter(message);
      if (run !== undefined && letter.run !== run) held.set(message.MessageId!, message);
      else if (this.#copied.has(message.MessageId!)) deleteOnly.push(message);
      else take.push(letter);
    }
    const accepted = await this.#copy(take, held);
    const remove = [...accepted, ...deleteOnly];
    if (remove.length === 0) return accepted.length;
    try {
      await deleteMessages(this.#options.target.sqs, this.#url, remove);
      for (const message of remove) this.#undeleted.delete(message.MessageId!);
      return accepted.length + deleteOnly.length;
    } catch (error) {
      // Which entries failed is not known: count them all as still there. The next pass deletes
      // those it meets again without copying them twice.
      for (const message of remove) this.#undeleted.add(message.MessageId!);
      this.#reason ??= errorInfo(error).message;
      return accepted.length;
    }
  }

  /** Copies each letter to the dispatched queue; returns the messages whose copy SQS accepted, and holds the others. */
  async #copy(take: DeadLetter[], held: Map<string, Message>): Promise<Message[]> {
    // BatchSender puts the sends of one tick into one SendMessageBatch (split only past 1 MiB).
    const outcomes = await Promise.allSettled(take.map((letter) => this.#sender.send(letter.message.Body ?? '', runAttribute(letter.run))));
    const accepted: Message[] = [];
    outcomes.forEach((outcome, i) => {
      const letter = take[i]!;
      if (outcome.status === 'fulfilled') {
        this.#copied.add(letter.message.MessageId!);
        accepted.push(letter.message);
        this.report.messages++;
        this.report.jobs += letter.job?.jobs.length ?? 0;
      } else {
        held.set(letter.message.MessageId!, letter.message);
        this.report.failed++;
        this.#reason ??= errorInfo(outcome.reason).message;
      }
    });
    return accepted;
  }
}

function runAttribute(run: string | undefined) {
  return run ? runAttributes(run) : undefined;
}
