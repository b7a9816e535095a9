/**
 * Nothing lost, nothing doubled: what happens when sends fail, workers die, messages come twice,
 * collectors restart, and jobs end in the dead-letter queue. Real SQS protocol throughout.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { redrive } from '../../cli/master/dead-letters/redrive.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { RunStore } from '../../cli/store/run-store.js';
import type { Target } from '../../cli/endpoint/target.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { WorkerProcesses } from '../../cli/workers/worker-processes.js';
import type { RequestCounter } from '../../cli/endpoint/clients.js';
import { BatchSender } from '../../functions/wire/batch-sender.js';
import { encodeJobMessage, encodeResultMessage, parseJobMessage, runAttributes, runOfAttributes } from '../../functions/wire/contract.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { queueEnv, runCli, spawnCli } from '../helpers/cli.js';
import { drain, eventually, queueDepth, sendRaw } from '../helpers/queue-peek.js';
import { openTestStore } from '../helpers/store.js';

describe.each(backendNames())('reliability on %s', (backendName) => {
  const backend = useBackend(backendName);
  let home = '';
  const cleanups: Array<() => Promise<unknown>> = [];

  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });
  let store: RunStore;
  beforeAll(async () => {
    ({ store, home } = await openTestStore('reliability-'));
  });
  afterAll(() => store.close());

  async function inProcessWorkers(target: Target) {
    const poller = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    cleanups.push(() => poller.stop({ abort: true }));
    return poller;
  }

  function storedIds(run: string): number[] {
    return [...store.results(run)].map((r) => r.id);
  }

  it('retries a record whose results could not be sent, and the job gets exactly one result', async () => {
    // Prepare: the workers' client fails its first two SendMessageBatch calls, as a network would.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 1 });
    let failures = 2;
    target.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand' && (args.input as { QueueUrl?: string }).QueueUrl !== target.queues.dispatched.url && failures-- > 0) {
          throw Object.assign(new Error('socket hang up'), { name: 'NetworkingError', $retryable: undefined });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectSendFailure' },
    );
    const { run } = await dispatch({ target, task: 'square', inputs: { kind: 'count', count: 3 }, store });
    // Act
    const poller = await inProcessWorkers(target);
    let failedRecords = 0;
    poller.on('invoked', (e) => (failedRecords += e.failed));
    const report = await collect({ target, run, timeoutMs: 30_000, store });
    // Assess
    expect(failures).toBeLessThan(0);
    expect(failedRecords).toBeGreaterThan(0);
    expect(report).toMatchObject({ counts: { done: 3, ok: 3 }, complete: true });
    expect(storedIds(run)).toEqual([0, 1, 2]);
  });

  it('keeps one result per job when a result arrives twice', async () => {
    // Prepare: the same result message sent twice, as an at-least-once platform may.
    const target = await backend.target();
    const { run } = await dispatch({ target, task: 'square', inputs: { kind: 'count', count: 2 }, store });
    const body = encodeResultMessage(run, [{ id: 0, ok: true, output: 0, started: 1, ms: 1 }, { id: 1, ok: true, output: 1, started: 1, ms: 1 }]);
    const resultsQueue = store.requireRun(run).queues.results!;
    for (let i = 0; i < 2; i++) {
      await target.sqs.send(new SendMessageCommand({ QueueUrl: resultsQueue, MessageBody: body, MessageAttributes: runAttributes(run) }));
    }
    // Act
    const first = await collect({ target, run, timeoutMs: 30_000, store });
    const again = await collect({ target, run, timeoutMs: 2_000, store });
    // Assess: the second collect reports from the store (the run's queue is gone with the first).
    expect(first).toMatchObject({ counts: { done: 2 }, complete: true });
    expect(again).toMatchObject({ counts: { done: 2 }, complete: true, requests: {} });
    expect(again.counts.duplicates).toBe(2);
    expect(storedIds(run)).toEqual([0, 1]);
  });

  it('finishes the messages of a worker process killed mid-batch, once their visibility runs out', async () => {
    // Prepare: one worker process; jobs that take long enough to kill it while they run.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 2 });
    const pool = new WorkerProcesses({ target, processes: 1, logLevel: 'SILENT', waitTimeSeconds: 1 });
    cleanups.push(() => pool.stop({ force: true }));
    await pool.start();
    const { run } = await dispatch({ target, task: 'sleep', inputs: Array(4).fill(1500), store });
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight > 0);
    // Act
    const [victim] = pool.pids;
    process.kill(victim!, 'SIGKILL');
    const report = await collect({ target, run, timeoutMs: 40_000, store });
    // Assess
    expect(pool.pids).not.toContain(victim);
    expect(report).toMatchObject({ counts: { done: 4, ok: 4 }, complete: true });
    expect(storedIds(run)).toEqual([0, 1, 2, 3]);
  });

  it('kills a worker process whose invocation overruns the function timeout, as Lambda does: no result, never run twice at once', async () => {
    // Prepare: a CPU-bound job (nothing in its process can interrupt it) three times longer than
    // the function timeout, and a visibility timeout of twice the function timeout.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 3, maxReceiveCount: 2 });
    const pool = new WorkerProcesses({ target, processes: 2, logLevel: 'SILENT', waitTimeSeconds: 1, functionTimeoutMs: 1500 });
    cleanups.push(() => pool.stop({ force: true }));
    const timedOut: number[] = [];
    const died: number[] = [];
    pool.on('timedOut', ({ pid }) => timedOut.push(pid));
    pool.on('died', ({ pid }) => died.push(pid));
    await pool.start();
    // Act
    const { run } = await dispatch({ target, task: 'burn', inputs: [4500], store });
    // Assess: killed at each delivery, then dead-lettered; it never ran long enough to send a
    // result, so no two runs overlapped; the killed processes were replaced.
    await eventually(async () => (await queueDepth(target.sqs, target.queues.deadLetter.url)).visible === 1, 40_000, 250);
    expect(await queueDepth(target.sqs, store.requireRun(run).queues.results!)).toEqual({ visible: 0, inFlight: 0 });
    expect(timedOut).toHaveLength(2);
    expect(died).toEqual([]);
    await eventually(() => pool.pids.length === 2, 10_000);
    expect(pool.pids.filter((pid) => timedOut.includes(pid))).toEqual([]);
  });

  it('resumes a collector killed mid-run from the results it wrote: nothing lost, nothing doubled', async () => {
    // Prepare: slow-ish results arriving over a few seconds. A killed collector's long poll may
    // still take messages on the server: a short visibility brings them back quickly.
    const target = await backend.target({ finishedVisibilityTimeoutSeconds: 2 });
    await inProcessWorkers(target);
    const { run } = await dispatch({ target, task: 'sleep', inputs: Array(20).fill(200), store, jobsPerMessage: 1 });
    const env = { FANOUT_HOME: home, ...queueEnv(target), ...backend.cliEnv };
    // Act: kill -9 the first collector once it has written something, then run another.
    const first = spawnCli(['collect', '--run', run, '--target', backend.endpoint, '--timeout', '30'], env);
    const closed = once(first, 'close');
    let stderr = '';
    first.stderr!.on('data', (d: Buffer) => (stderr += d));
    await eventually(() => store.requireRun(run).counts.done > 0, 20_000, 20).catch((error: Error) => {
      throw new Error(`${error.message}; the collector said: ${stderr}`);
    });
    first.kill('SIGKILL');
    await closed;
    const report = await collect({ target, run, timeoutMs: 30_000, store });
    // Assess
    expect(report).toMatchObject({ counts: { done: 20 }, complete: true });
    expect(storedIds(run)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('names the dead-lettered jobs at the timeout, and redrive brings them back to completion', async () => {
    // Prepare: a run whose messages are dead-lettered (no worker; moved by SQS after max receives).
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 1, maxReceiveCount: 1 });
    const { run } = await dispatch({ target, task: 'square', inputs: { kind: 'count', count: 3 }, store, jobsPerMessage: 1 });
    await sendRaw(target.sqs, target.queues.dispatched.url, JSON.stringify({ v: 1, run, task: 'square', jobs: 'broken' }));
    for (let round = 0; round < 2; round++) {
      await target.sqs.send(new (await import('@aws-sdk/client-sqs')).ReceiveMessageCommand({ QueueUrl: target.queues.dispatched.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      await new Promise((r) => setTimeout(r, 1200));
    }
    await eventually(async () => {
      await target.sqs.send(new (await import('@aws-sdk/client-sqs')).ReceiveMessageCommand({ QueueUrl: target.queues.dispatched.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      return (await queueDepth(target.sqs, target.queues.deadLetter.url)).visible === 4;
    }, 20_000, 500);
    // Act
    const timedOut = await collect({ target, run, timeoutMs: 1000, store });
    const moved = await redrive({ target, run });
    await inProcessWorkers(target);
    const completed = await collect({ target, run, timeoutMs: 30_000, store });
    // Assess
    expect(timedOut).toMatchObject({ missing: [0, 1, 2], deadLettered: [0, 1, 2], deadLetteredUnreadable: 1, complete: false });
    expect(moved).toEqual({ messages: 4, jobs: 3, failed: 0, remaining: 0, passes: 2 });
    expect(completed).toMatchObject({ counts: { done: 3 }, complete: true });
  });

  /** Puts one single-job message per id of `run` straight into the dead-letter queue. */
  async function deadLetter(target: Target, run: string, ids: number[]): Promise<void> {
    const sender = new BatchSender(target.sqs, target.queues.deadLetter.url);
    const attributes = runAttributes(run);
    await Promise.all(ids.map((id) => sender.send(encodeJobMessage(run, 'square', [{ id, input: id }]), attributes)));
  }
  const ids = (n: number) => Array.from({ length: n }, (_, i) => i);
  const runOf = (m: Message) => runOfAttributes(m.MessageAttributes);
  const jobIdOf = (m: Message) => parseJobMessage(m.Body!).jobs[0]!.id;

  it("redrives every message of one run in batches, and leaves another run's in the dead-letter queue", async () => {
    // Prepare: 25 messages of run-a and 5 of run-b in the dead-letter queue, received mixed.
    const counter: RequestCounter = new Map();
    const target = await backend.target({}, counter);
    await deadLetter(target, 'run-b', ids(5));
    await deadLetter(target, 'run-a', ids(25));
    counter.clear();
    // Act
    const report = await redrive({ target, run: 'run-a' });
    const requests = new Map(counter);
    const again = await redrive({ target, run: 'run-a' });
    // Assess: all of run-a moved once, with its run attribute; run-b untouched and visible again
    expect(report).toEqual({ messages: 25, jobs: 25, failed: 0, remaining: 0, passes: 2 });
    expect(again).toEqual({ messages: 0, jobs: 0, failed: 0, remaining: 0, passes: 1 });
    const dispatched = await drain(target.sqs, target.queues.dispatched.url);
    expect(dispatched.map(jobIdOf).sort((a, b) => a - b)).toEqual(ids(25));
    expect(new Set(dispatched.map(runOf))).toEqual(new Set(['run-a']));
    const left = await drain(target.sqs, target.queues.deadLetter.url);
    expect(left.map(runOf)).toEqual(Array(5).fill('run-b'));
    // Assess: batched requests only, one send and one delete per receive that found run-a's messages;
    // two passes of a few receives each, the second finding only run-b's messages
    const count = (operation: string) => requests.get(operation) ?? 0;
    expect(count('SendMessage') + count('DeleteMessage') + count('ChangeMessageVisibility')).toBe(0);
    expect(count('SendMessageBatch')).toBeGreaterThanOrEqual(3);
    expect(count('SendMessageBatch')).toBeLessThanOrEqual(5);
    expect(count('DeleteMessageBatch')).toBe(count('SendMessageBatch'));
    expect(count('ReceiveMessage')).toBeLessThanOrEqual(9);
    expect(count('ChangeMessageVisibilityBatch')).toBeLessThanOrEqual(2);
  });

  it('keeps in the dead-letter queue every message whose copy SQS refuses, and says so', async () => {
    // Prepare: 12 messages of one run; every SendMessageBatch to the dispatched queue fails.
    const target = await backend.target();
    await deadLetter(target, 'run-c', ids(12));
    target.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand' && (args.input as { QueueUrl?: string }).QueueUrl === target.queues.dispatched.url) {
          throw Object.assign(new Error('AccessDenied: not allowed'), { name: 'AccessDenied' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'refuseCopies' },
    );
    // Act
    const report = await redrive({ target, run: 'run-c' });
    // Assess: nothing deleted, nothing copied, all counted as remaining
    expect(report).toMatchObject({ messages: 0, jobs: 0, failed: 12, remaining: 12, passes: 1, reason: expect.stringMatching(/AccessDenied/) });
    expect((await drain(target.sqs, target.queues.deadLetter.url)).map(jobIdOf).sort((a, b) => a - b)).toEqual(ids(12));
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('copies a message whose delete failed only once, and deletes it on the next pass', async () => {
    // Prepare: 12 messages; the first DeleteMessageBatch on the dead-letter queue fails. A short
    // hold brings the undeleted ones back within the test.
    const target = await backend.target();
    await deadLetter(target, 'run-f', ids(12));
    let failures = 1;
    target.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteMessageBatchCommand' && failures-- > 0) {
          throw Object.assign(new Error('socket hang up'), { name: 'NetworkingError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failFirstDelete' },
    );
    // Act
    const report = await redrive({ target, run: 'run-f', visibilityTimeoutSeconds: 1 });
    // Assess: each job once in the dispatched queue, none left behind
    expect(failures).toBeLessThan(0);
    expect(report).toEqual({ messages: 12, jobs: 12, failed: 0, remaining: 0, passes: 3 });
    expect((await drain(target.sqs, target.queues.dispatched.url)).map(jobIdOf).sort((a, b) => a - b)).toEqual(ids(12));
    expect(await queueDepth(target.sqs, target.queues.deadLetter.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('fanout redrive --all --json reports what it moved and what remains, and exits 0 when nothing remains', async () => {
    // Prepare: two runs' messages in the dead-letter queue
    const target = await backend.target();
    await deadLetter(target, 'run-d', ids(3));
    await deadLetter(target, 'run-e', ids(2));
    // Act
    const { code, stdout } = await runCli(['redrive', '--all', '--json', '--target', backend.endpoint], { FANOUT_HOME: home, ...queueEnv(target), ...backend.cliEnv });
    // Assess
    expect(JSON.parse(stdout)).toEqual({ event: 'redriven', run: null, messages: 5, jobs: 5, failed: 0, remaining: 0, passes: 2 });
    expect(code).toBe(0);
    expect(await queueDepth(target.sqs, target.queues.deadLetter.url)).toEqual({ visible: 0, inFlight: 0 });
  });
});
