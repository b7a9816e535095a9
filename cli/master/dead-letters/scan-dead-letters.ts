/**
 * Reads the dead-letter queue without consuming it: every message is received once (hidden
 * while the scan runs, so none is counted twice), then made visible again. (`redrive.ts` moves
 * messages out of it.)
 */
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { SQS_LIMITS } from '../../../functions/wire/constants.js';
import { parseJobMessage, peekRunId, type JobMessage } from '../../../functions/wire/contract.js';
import type { Target } from '../../endpoint/target.js';
import { changeVisibility } from '../../../functions/wire/message-batches.js';

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
};

/** Scans the DLQ; returns every message seen. */
export async function scanDeadLetters(target: Target, options: ScanOptions = {}): Promise<DeadLetter[]> {
  const { sqs } = target;
  const url = target.queues.deadLetter.url;
  const seen: DeadLetter[] = [];
  const leave: Message[] = [];
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
        seen.push(readLetter(message));
        leave.push(message);
      }
    }
  } finally {
    // Whatever happened, what was received is visible again.
    await changeVisibility(sqs, url, leave, 0);
  }
  return seen;
}

/** A received dead-letter message, with its body parsed as far as it can be. */
export function readLetter(message: Message): DeadLetter {
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
