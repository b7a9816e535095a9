/**
 * redrive: moves dead-lettered job messages back to the dispatched queue — one run's, or all —
 * after the cause (a bug in a task, a missing permission) has been fixed. Each message is sent
 * before it is deleted from the DLQ, so a crash mid-way duplicates at worst (collect drops the
 * duplicate results), never loses.
 */
import { BatchSender } from '../../../functions/wire/batch-sender.js';
import { runAttributes } from '../../../functions/wire/contract.js';
import type { Target } from '../../endpoint/target.js';
import { scanDeadLetters } from './scan-dead-letters.js';

export type RedriveOptions = {
  target: Target;
  /** The run whose messages to move; undefined moves every message. */
  run: string | undefined;
};

export type RedriveReport = { messages: number; jobs: number; failed: number };

export async function redrive(options: RedriveOptions): Promise<RedriveReport> {
  const { target, run } = options;
  const sender = new BatchSender(target.sqs, target.queues.dispatched.url);
  const report: RedriveReport = { messages: 0, jobs: 0, failed: 0 };
  await scanDeadLetters(target, {
    take: async (letter) => {
      if (run !== undefined && letter.run !== run) return false;
      const attributes = letter.run ? runAttributes(letter.run) : undefined;
      try {
        await sender.send(letter.message.Body ?? '', attributes);
      } catch {
        report.failed++;
        return false;
      }
      report.messages++;
      report.jobs += letter.job?.jobs.length ?? 0;
      return true;
    },
  });
  return report;
}
