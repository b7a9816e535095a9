/**
 * Transient send failures, injected with an AWS SDK middleware on the worker's SQS client. It
 * touches only SendMessageBatch calls that carry results — to the finished queue or to a run's
 * own result queue beside it (`<finished queue>-<run>`) — and, for a share of them, does one of:
 *
 * - `throw-before-send`: throws a network-style error (ECONNRESET) before the request leaves:
 *   nothing is sent and the caller sees the error, as when the SDK's own retries are exhausted.
 *   The middleware sits in the `initialize` step, above the SDK's retry middleware, so the error
 *   reaches fanout's BatchSender: the records fail and SQS delivers them again.
 * - `throw-after-send`: lets the request through, then throws as if the connection dropped
 *   before the response: the results *are* on the queue but the caller believes they are not, so
 *   the records are retried and their results arrive twice (the collector must drop the second).
 * - `failed-entries`: sends only some entries and reports the others in `Failed` with
 *   `SenderFault: false` (ServiceUnavailable), as SQS does under throttling: BatchSender retries
 *   them.
 *
 * Each injection is appended as one JSON line to a log file, with the (run, job id) pairs of the
 * results it affected, so the suite can check that every one of those jobs still got exactly one
 * result.
 *
 * Apart from the faults, the middleware notes every results send that fails because the run's
 * queue is gone (collected in full and deleted): the worker drops those results on purpose, and
 * the suite must know which ones it dropped (`goneLogPath`).
 */
import { appendFileSync } from 'node:fs';
import type { SendMessageBatchCommandInput, SendMessageBatchCommandOutput, SQSClient } from '@aws-sdk/client-sqs';
import { isMissingQueue } from '../../functions/wire/errors.js';
import type { Rng } from './rng.js';

export const SEND_FAULT_MODES = ['throw-before-send', 'throw-after-send', 'failed-entries'] as const;
export type SendFaultMode = (typeof SEND_FAULT_MODES)[number];

/** One injected failure, as logged. */
export type SendFaultRecord = {
  pid: number;
  mode: SendFaultMode;
  /** [run, job id] of every result in the affected entries. */
  jobs: Array<[string, number]>;
};

/** Results a worker could not send because their run's queue was deleted, as logged. */
export type QueueGoneRecord = { pid: number; queueUrl: string; jobs: Array<[string, number]> };

export type SendFaultOptions = {
  /** Only SendMessageBatch calls to this queue, or to a run queue beside it (`<url>-<run>`), are touched. */
  queueUrl: string;
  /** Share of those calls that get a fault, 0-1. */
  rate: number;
  /** Fault the first eligible call of this client whatever the rate, so every run injects some. @default true */
  faultFirst?: boolean;
  rng: Rng;
  /** Where each injection is appended as a JSON line. */
  logPath: string;
  /** Where each results send refused because the run's queue is gone is appended. @default - not logged */
  goneLogPath?: string;
};

/** True for the finished queue itself and for the run queues named after it. */
export function isResultsQueue(finishedQueueUrl: string, url: string | undefined): boolean {
  return url !== undefined && (url === finishedQueueUrl || url.startsWith(`${finishedQueueUrl}-`));
}

const MIDDLEWARE_NAME = 'fanoutFaultsSendFailures';

/** An error shaped like the one Node raises when a peer resets the connection. */
function connectionReset(message: string): Error {
  return Object.assign(new Error(message), { name: 'Error', code: 'ECONNRESET', $metadata: {} });
}

/** The [run, job id] pairs of the result messages in some batch entries; unreadable bodies are skipped. */
export function jobsOfEntries(entries: ReadonlyArray<{ MessageBody?: string }>): Array<[string, number]> {
  const jobs: Array<[string, number]> = [];
  for (const entry of entries) {
    try {
      const message = JSON.parse(entry.MessageBody ?? '') as { run?: unknown; results?: Array<{ id?: unknown }> };
      for (const result of message.results ?? []) {
        if (typeof message.run === 'string' && typeof result.id === 'number') jobs.push([message.run, result.id]);
      }
    } catch {
      // Not a result message: nothing to attribute.
    }
  }
  return jobs;
}

/** Adds the fault-injecting middleware to a client (once). */
export function installSendFaults(client: SQSClient, options: SendFaultOptions): void {
  const { rng } = options;
  let first = options.faultFirst ?? true;
  const log = (mode: SendFaultMode, entries: ReadonlyArray<{ MessageBody?: string }>) => {
    const record: SendFaultRecord = { pid: process.pid, mode, jobs: jobsOfEntries(entries) };
    appendFileSync(options.logPath, `${JSON.stringify(record)}\n`);
  };
  client.middlewareStack.remove(MIDDLEWARE_NAME);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as SendMessageBatchCommandInput;
      if (context.commandName !== 'SendMessageBatchCommand' || !isResultsQueue(options.queueUrl, input.QueueUrl)) return next(args);
      const send = async (sent: typeof args) => {
        try {
          return await next(sent);
        } catch (error) {
          if (options.goneLogPath && isMissingQueue(error)) {
            const record: QueueGoneRecord = { pid: process.pid, queueUrl: input.QueueUrl!, jobs: jobsOfEntries((sent.input as SendMessageBatchCommandInput).Entries ?? []) };
            appendFileSync(options.goneLogPath, `${JSON.stringify(record)}\n`);
          }
          throw error;
        }
      };
      if (!first && !rng.chance(options.rate)) return send(args);
      first = false;
      const entries = input.Entries ?? [];
      const mode = rng.pick(SEND_FAULT_MODES);
      if (mode === 'throw-before-send') {
        log(mode, entries);
        throw connectionReset('socket hang up (injected before send)');
      }
      if (mode === 'throw-after-send') {
        await send(args);
        log(mode, entries);
        throw connectionReset('socket hang up (injected after send: the messages were delivered)');
      }
      // failed-entries: at least one entry fails; the rest are really sent.
      const failing = new Set(entries.filter(() => rng.chance(0.5)).map((e) => e.Id));
      if (failing.size === 0 && entries.length > 0) failing.add(rng.pick(entries).Id);
      const kept = entries.filter((e) => !failing.has(e.Id));
      log(mode, entries.filter((e) => failing.has(e.Id)));
      const injected = [...failing].map((Id) => ({ Id, SenderFault: false, Code: 'ServiceUnavailable', Message: 'injected: try again' }));
      if (kept.length === 0) {
        const output: SendMessageBatchCommandOutput = { Successful: [], Failed: injected, $metadata: {} };
        return { output, response: {} } as Awaited<ReturnType<typeof next>>;
      }
      const result = await send({ ...args, input: { ...input, Entries: kept } });
      const output = result.output as SendMessageBatchCommandOutput;
      return { ...result, output: { ...output, Failed: [...(output.Failed ?? []), ...injected] } };
    },
    { step: 'initialize', name: MIDDLEWARE_NAME, priority: 'high' },
  );
}

/** Reads the injection log (or the queue-gone log); a line torn by `kill -9` mid-write is skipped (and counted). */
export function parseSendFaultLog<R = SendFaultRecord>(text: string): { records: R[]; torn: number } {
  const records: R[] = [];
  let torn = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as R);
    } catch {
      torn++;
    }
  }
  return { records, torn };
}
