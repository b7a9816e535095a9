/**
 * Reads the dead-letter queue without consuming it: every message is received once (hidden
 * while the scan runs, so none is counted twice), then made visible again — or handed to
 * `take`, which may move it elsewhere and delete it.
 */
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { SQS_LIMITS } from '../../../functions/wire/constants.js';
import { parseJobMessage, peekRunId, type JobMessage } from '../../../functions/wire/contract.js';
import type { Target } from '../../endpoint/target.js';
import { changeVisibility, deleteMessages } from '../../../functions/wire/message-batches.js';

export type DeadLetter = {
  message: Message;
  /** The parsed job message, or undefined for a body that breaks the contract. */
  job: JobMessage | undefined;
  /** The run it belongs to, if that much can be read. */
  run: string | undefined;
};

export type ScanOptions = {
  /** Upper bound on ReceiveMessage calls, so a huge DLQ cannot keep us forever. @default 1000 */
  maxReceives?: number;
  /**
   * Decides each message's fate: return true once the message has been dealt with (it is then
   * deleted from the DLQ); false leaves it where it is.
   * @default - leave every message
   */
  take?: (letter: DeadLetter) => Promise<boolean>;
};

/** Scans the DLQ; returns every message seen. */
export async function scanDeadLetters(target: Target, options: ScanOptions = {}): Promise<DeadLetter[]> {
  const { sqs } = target;
  const url = target.queues.deadLetter.url;
  const seen: DeadLetter[] = [];
  const leave: Message[] = [];
  const remove: Message[] = [];
  try {
    for (let receives = 0; receives < (options.maxReceives ?? 1000); receives++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: SQS_LIMITS.receiveMessages,
          // Long enough to finish the scan without seeing a message twice.
          VisibilityTimeout: 60,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
        }),
      );
      if (!Messages?.length) break;
      for (const message of Messages) {
        const letter = readLetter(message);
        seen.push(letter);
        if (options.take && (await options.take(letter))) remove.push(message);
        else leave.push(message);
      }
    }
  } finally {
    // Both, whatever happens to either: what was taken goes, what was left is visible again.
    const [deleted, released] = await Promise.allSettled([deleteMessages(sqs, url, remove), changeVisibility(sqs, url, leave, 0)]);
    for (const outcome of [deleted, released]) if (outcome.status === 'rejected') throw outcome.reason;
  }
  return seen;
}

function readLetter(message: Message): DeadLetter {
  const body = message.Body ?? '';
  try {
    const job = parseJobMessage(body);
    return { message, job, run: job.run };
  } catch {
    return { message, job: undefined, run: peekRunId(body) };
  }
}

/** The job ids of `run` sitting in the DLQ, and how many of its messages cannot be read. */
export async function deadLetteredJobs(target: Target, run: string): Promise<{ jobIds: number[]; unreadable: number }> {
  const letters = (await scanDeadLetters(target)).filter((l) => l.run === run);
  const jobIds = letters.flatMap((l) => l.job?.jobs.map((j) => j.id) ?? []).sort((a, b) => a - b);
  return { jobIds: [...new Set(jobIds)], unreadable: letters.filter((l) => !l.job).length };
}
