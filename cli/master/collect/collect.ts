/**
 * collect: the finished queue → one result per job, appended to the run's results file.
 *
 * Several receivers long-poll at once. A message is deleted only after its results are written,
 * so a collector killed at any moment loses nothing; the file tells a restarted one what it has,
 * so nothing is doubled. Other runs' messages are released at once for their own collector.
 * Returns as soon as every job has a result, or at the timeout with the ids still missing.
 */
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { RUN_ATTRIBUTE, SQS_LIMITS } from '../../../functions/wire/constants.js';
import { parseResultMessage, runOfAttributes, type Result } from '../../../functions/wire/contract.js';
import { errorInfo } from '../../../functions/wire/errors.js';
import { deadLetteredJobs } from '../dead-letters/scan-dead-letters.js';
import type { MasterEmitter } from '../events.js';
import type { RunManifest } from '../manifest.js';
import { runResultsPath } from '../paths.js';
import type { Target } from '../../endpoint/target.js';
import { explainSqsError, isConnectionError } from '../../endpoint/aws-errors.js';
import { changeVisibility, deleteMessages } from '../../../functions/wire/message-batches.js';
import { ResultsFile } from './results-file.js';
import { SeenJobs } from './seen-jobs.js';

export type CollectOptions = {
  target: Target;
  /** The run to collect, as dispatch recorded it. */
  manifest: Pick<RunManifest, 'run' | 'jobs'>;
  /** Give up after this long, in ms. @default 60000 */
  timeoutMs?: number;
  /** Long-poll receivers running at once. @default 4 */
  receivers?: number;
  /** @default - .fanout/runs/<run>.results.jsonl */
  resultsPath?: string;
  events?: MasterEmitter;
  /** Look in the dead-letter queue for missing jobs at the end. @default true */
  checkDeadLetters?: boolean;
  /** Stops collecting early (e.g. on Ctrl-C); what was written stays written. */
  signal?: AbortSignal;
  home?: string;
};

export type CollectReport = {
  run: string;
  jobs: number;
  /** Jobs with a result (from this call or an earlier one). */
  done: number;
  ok: number;
  failed: number;
  /** Job ids with no result, in order. */
  missing: number[];
  /** Of the missing, those whose job messages sit in the dead-letter queue (`fanout redrive` retries them). */
  deadLettered: number[];
  /** The run's messages in the dead-letter queue that break the contract, so their jobs cannot be named. */
  deadLetteredUnreadable: number;
  duplicates: number;
  complete: boolean;
  resultsPath: string;
};

export async function collect(options: CollectOptions): Promise<CollectReport> {
  const { target, manifest, events } = options;
  const { run } = manifest;
  const seen = new SeenJobs(manifest.jobs);
  let ok = 0;
  let failed = 0;
  let duplicates = 0;
  const count = (result: Result) => (result.ok ? ok++ : failed++);

  const resultsPath = options.resultsPath ?? runResultsPath(run, options.home);
  const file = await ResultsFile.open(resultsPath, (result) => {
    if (isOurs(result.id, manifest.jobs) && seen.add(result.id)) count(result);
  });

  const done = new AbortController();
  const stop = () => done.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const timeoutMs = options.timeoutMs ?? 60_000;
  const timer = setTimeout(stop, timeoutMs);
  const sqs = target.sqs;
  const queueUrl = target.queues.finished.url;
  let fatal: Error | undefined;

  const handle = async (messages: Message[]): Promise<void> => {
    const mine: Message[] = [];
    const others: Message[] = [];
    const fresh: Result[] = [];
    for (const message of messages) {
      const attributeRun = runOfAttributes(message.MessageAttributes);
      if (attributeRun !== undefined && attributeRun !== run) {
        others.push(message);
        continue;
      }
      let parsed;
      try {
        parsed = parseResultMessage(message.Body ?? '');
      } catch (error) {
        // Not ours to judge or delete: it stays, and expires with the queue's retention.
        events?.emit('malformed', { messageId: message.MessageId!, reason: errorInfo(error).message });
        continue;
      }
      if (parsed.run !== run) {
        others.push(message);
        continue;
      }
      mine.push(message);
      for (const result of parsed.results) {
        if (!isOurs(result.id, manifest.jobs)) {
          events?.emit('warning', { message: `result for job ${result.id}, outside run ${run}'s 0-${manifest.jobs - 1}: dropped` });
        } else if (seen.add(result.id)) {
          count(result);
          fresh.push(result);
        } else {
          duplicates++;
          events?.emit('duplicate', { run, id: result.id });
        }
      }
    }
    await file.append(fresh);
    for (const result of fresh) events?.emit('result', { run, result });
    await Promise.all([deleteMine(mine), release(others)]);
    if (seen.complete) stop();
  };

  const deleteMine = (messages: Message[]) =>
    deleteMessages(sqs, queueUrl, messages).catch((error: unknown) =>
      events?.emit('warning', { message: `delete failed (the results are written; duplicates will be dropped): ${errorInfo(error).message}` }),
    );

  /** Another run's results: visible again at once, for the collector that wants them. */
  const release = (messages: Message[]) =>
    changeVisibility(sqs, queueUrl, messages, 0).catch((error: unknown) =>
      events?.emit('warning', { message: `could not release another run's results: ${errorInfo(error).message}` }),
    );

  /** One receive; undefined once collecting is over or the target is unusable. */
  const receiveOnce = async (waitTimeSeconds: number): Promise<Message[] | undefined> => {
    try {
      const response = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: SQS_LIMITS.receiveMessages,
          WaitTimeSeconds: waitTimeSeconds,
          MessageAttributeNames: [RUN_ATTRIBUTE],
        }),
        { abortSignal: done.signal },
      );
      return done.signal.aborted ? undefined : (response.Messages ?? []);
    } catch (error) {
      if (done.signal.aborted) return undefined;
      if (isConnectionError(error) || (error as { name?: string }).name === 'QueueDoesNotExist') {
        fatal ??= explainSqsError(error, target, queueUrl);
        stop();
        return undefined;
      }
      events?.emit('warning', { message: `receive failed, retrying: ${errorInfo(error).message}` });
      return [];
    }
  };

  // One receiver long-polls; while results flow in full batches, short-polling helpers join it.
  // Only the long poll is ever in flight when collecting ends, so aborting it can strand at most
  // one batch (the server may dequeue for a connection we dropped), not one per receiver.
  const deadline = Date.now() + timeoutMs;
  const maxHelpers = (options.receivers ?? 4) - 1;
  const helpers = new Set<Promise<void>>();
  const help = async (): Promise<void> => {
    for (let messages = await receiveOnce(0); messages?.length; messages = await receiveOnce(0)) await handle(messages);
  };
  const longPoll = async (): Promise<void> => {
    while (!done.signal.aborted) {
      const waitTimeSeconds = Math.min(SQS_LIMITS.maxWaitTimeSeconds, Math.max(0, Math.ceil((deadline - Date.now()) / 1000)));
      const messages = await receiveOnce(waitTimeSeconds);
      if (!messages) return;
      while (messages.length === SQS_LIMITS.receiveMessages && helpers.size < maxHelpers) {
        const helper: Promise<void> = help().finally(() => helpers.delete(helper));
        helpers.add(helper);
      }
      if (messages.length > 0) await handle(messages);
    }
  };

  try {
    if (!seen.complete) await longPoll();
    await Promise.all(helpers);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
    await file.close();
  }
  if (fatal) throw fatal;

  const missing = seen.missing();
  let dead = { jobIds: [] as number[], unreadable: 0 };
  if (missing.length > 0) {
    events?.emit('timeout', { run, missing });
    if (options.checkDeadLetters ?? true) {
      dead = await deadLetteredJobs(target, run).catch((error: unknown) => {
        events?.emit('warning', { message: `could not read the dead-letter queue: ${errorInfo(error).message}` });
        return dead;
      });
    }
  }
  const deadLettered = dead.jobIds.filter((id) => isOurs(id, manifest.jobs) && !seen.has(id));
  return {
    run,
    jobs: manifest.jobs,
    done: seen.count,
    ok,
    failed,
    missing,
    deadLettered,
    deadLetteredUnreadable: dead.unreadable,
    duplicates,
    complete: missing.length === 0,
    resultsPath,
  };
}

function isOurs(id: number, jobs: number): boolean {
  return Number.isInteger(id) && id >= 0 && id < jobs;
}
