/**
 * The scenario's I/O: sending the fuzz corpus, re-sending and forging results, recording and
 * collecting the fuzz run, reading queues and files, and waiting for conditions. Queues over the
 * SQS API; runs and results through the run store.
 */
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { collect, type CollectReport } from '../../cli/master/collect/collect.js';
import type { RunStore } from '../../cli/store/run-store.js';
import type { StoredResult } from '../../cli/store/types.js';
import { endpointOf } from '../../cli/endpoint/connection.js';
import { createRunQueue } from '../../cli/endpoint/run-queue.js';
import type { Target } from '../../cli/endpoint/target.js';
import { BatchSender } from '../../functions/wire/batch-sender.js';
import { SQS_LIMITS } from '../../functions/wire/constants.js';
import { encodeResultMessage, runAttributes, type Result, type ResultOrigin } from '../../functions/wire/contract.js';
import { errorInfo } from '../../functions/wire/errors.js';
import type { FuzzCorpus } from './fuzz-corpus.js';
import { chooseDistinct, type Rng } from './rng.js';

/** The message attribute that carries a fuzz case's index, so it can be recognised in the dead-letter queue. */
export const FUZZ_CASE_ATTRIBUTE = 'faults-case';

/**
 * Records the fuzz run in the store as dispatch would (its own result queue, every job of the
 * corpus), so that a collector can collect it. `finishFuzzRun` marks it dispatched once sent.
 */
export async function createFuzzRun(target: Target, store: RunStore, corpus: FuzzCorpus): Promise<string> {
  store.createRun({
    id: corpus.run,
    task: 'fail',
    target: { name: target.name, connection: target.connection.kind, endpoint: endpointOf(target.connection), stack: undefined },
    queues: { dispatched: target.queues.dispatched.url, deadLetter: target.queues.deadLetter.url },
    inputs: { kind: 'values' },
    jobsPerMessage: 1,
    jobs: corpus.jobs,
    dispatcher: { pid: process.pid, host: hostname() },
  });
  const url = await createRunQueue(target, corpus.run);
  store.setResultsQueue(corpus.run, url);
  return url;
}

export function finishFuzzRun(store: RunStore, corpus: FuzzCorpus, messages: number): void {
  store.logSent(corpus.run, { firstJob: 0, jobs: corpus.jobs, messages });
  store.finishDispatch(corpus.run, corpus.jobs);
}

/** Collects the fuzz run in this process. */
export function collectFuzz(target: Target, store: RunStore, corpus: FuzzCorpus, timeoutSeconds: number, signal: AbortSignal): Promise<CollectReport | undefined> {
  if (corpus.jobs === 0) return Promise.resolve(undefined);
  return collect({ target, store, run: corpus.run, timeoutMs: timeoutSeconds * 1000, checkDeadLetters: false, signal });
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

/** Re-sends `count` already-stored results of `run` to the run's own result queue, in messages of 1-5. */
export async function resendResults(target: Target, store: RunStore, run: string, rng: Rng, count: number): Promise<{ messages: number; results: number }> {
  const stored = [...store.results(run)];
  const results = chooseDistinct(rng, stored.length, Math.min(count, stored.length)).map((i) => asResult(stored[i]!));
  return sendResults(target, store.requireRun(run).queues.results!, run, results, rng, { worker: 'faults-resend', cold: false, attempt: 1 });
}

/** A stored result as it travels on the wire again (the store adds origin and bookkeeping fields). */
export function asResult(stored: StoredResult): Result {
  const { id, ms } = stored;
  const started = stored.started ?? 0;
  return stored.ok ? { id, ok: true, output: stored.output, started, ms } : { id, ok: false, error: stored.error, started, ms };
}

/** Sends `results` to a result queue in messages of 1-5 results. */
export async function sendResults(target: Target, url: string, run: string, results: readonly Result[], rng: Rng, origin: ResultOrigin): Promise<{ messages: number; results: number }> {
  const sender = new BatchSender(target.sqs, url);
  const attributes = runAttributes(run);
  const sends: Promise<void>[] = [];
  for (let i = 0; i < results.length; ) {
    const size = rng.int(1, 5);
    sends.push(sender.send(encodeResultMessage(run, results.slice(i, i + size), origin), attributes));
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
