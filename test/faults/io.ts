/**
 * The scenario's I/O: sending the fuzz corpus, re-sending results, collecting the fuzz run,
 * reading queues and files, and waiting for conditions. All of it over the SQS API.
 */
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { collect, type CollectReport } from '../../cli/master/collect/collect.js';
import { MasterEmitter } from '../../cli/master/events.js';
import type { Target } from '../../cli/endpoint/target.js';
import { BatchSender } from '../../functions/wire/batch-sender.js';
import { SQS_LIMITS } from '../../functions/wire/constants.js';
import { encodeResultMessage, runAttributes, type Result } from '../../functions/wire/contract.js';
import { errorInfo } from '../../functions/wire/errors.js';
import { outOfRangeIdOf } from './collector-process.js';
import type { FuzzCorpus } from './fuzz-corpus.js';
import { chooseDistinct, type Rng } from './rng.js';

/** The message attribute that carries a fuzz case's index, so it can be recognised in the dead-letter queue. */
export const FUZZ_CASE_ATTRIBUTE = 'faults-case';

/** Collects the fuzz run in this process; out-of-range drops go to `warned`. */
export function collectFuzz(target: Target, corpus: FuzzCorpus, resultsPath: string, timeoutSeconds: number, warned: number[], signal: AbortSignal): Promise<CollectReport | undefined> {
  if (corpus.jobs === 0) return Promise.resolve(undefined);
  const events = new MasterEmitter();
  events.on('warning', ({ message }) => {
    const id = outOfRangeIdOf(message);
    if (id !== undefined) warned.push(id);
  });
  return collect({ target, manifest: { run: corpus.run, jobs: corpus.jobs }, events, timeoutMs: timeoutSeconds * 1000, resultsPath, checkDeadLetters: false, signal });
}

/** Sends each case as its own message, tagged with its index; returns how many the server accepted. */
export async function sendFuzz(target: Target, corpus: FuzzCorpus, say: (message: string) => void): Promise<number> {
  let sent = 0;
  let next = 0;
  const sendOne = async () => {
    for (let i = next++; i < corpus.cases.length; i = next++) {
      const fuzzCase = corpus.cases[i]!;
      try {
        await target.sqs.send(
          new SendMessageCommand({
            QueueUrl: target.queues.dispatched.url,
            MessageBody: fuzzCase.body,
            MessageAttributes: { [FUZZ_CASE_ATTRIBUTE]: { DataType: 'Number', StringValue: String(fuzzCase.index) } },
          }),
        );
        sent++;
      } catch (error) {
        say(`fuzz case #${fuzzCase.index} (${fuzzCase.category}) refused by the server: ${errorInfo(error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, sendOne));
  return sent;
}

/** Re-sends `count` already-collected results (as written in the results file) to the finished queue, in messages of 1-5. */
export async function resendResults(target: Target, run: string, path: string, rng: Rng, count: number): Promise<{ messages: number; results: number }> {
  const lines = await readLines(path);
  const results = chooseDistinct(rng, lines.length, Math.min(count, lines.length)).flatMap((i) => {
    try {
      return [JSON.parse(lines[i]!) as Result];
    } catch {
      return [];
    }
  });
  const sender = new BatchSender(target.sqs, target.queues.finished.url);
  const attributes = runAttributes(run);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < results.length; ) {
    const size = rng.int(1, 5);
    sends.push(sender.send(encodeResultMessage(run, results.slice(i, i + size)), attributes));
    i += size;
  }
  await Promise.all(sends);
  return { messages: sends.length, results: results.length };
}

/** Receives every message of a queue (hiding each for the rest of the run), without deleting. */
export async function receiveAll(sqs: SQSClient, url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: SQS_LIMITS.receiveMessages, WaitTimeSeconds: 1, VisibilityTimeout: 600, MessageAttributeNames: ['All'] }),
    );
    if (!Messages?.length) return all;
    all.push(...Messages);
  }
}

/** [run, id] of each result in a finished-queue body; nothing for a body that is not a result message. */
export function resultIdsOf(body: string): Array<[string, number]> {
  try {
    const message = JSON.parse(body) as { run?: unknown; results?: Array<{ id?: unknown }> };
    return (message.results ?? []).flatMap((r) => (typeof message.run === 'string' && typeof r.id === 'number' ? [[message.run, r.id] as [string, number]] : []));
  } catch {
    return [];
  }
}

/** Messages on a queue, visible or in flight. */
export async function depth(sqs: SQSClient, url: string): Promise<number> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(Attributes?.ApproximateNumberOfMessages ?? 0) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

export async function readLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line !== '');
}

export function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Resolves once `check` holds; rejects after `timeoutMs` (default: never) or once `signal` aborts. */
export async function until(check: () => boolean | Promise<boolean>, signal: AbortSignal, timeoutMs = Infinity, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (signal.aborted) throw new Error('the scenario stopped');
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await delay(everyMs);
  }
}
