/**
 * Nothing lost, nothing doubled: what happens when sends fail, workers die, messages come twice,
 * collectors restart, and jobs end in the dead-letter queue. Real SQS protocol throughout.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { redrive } from '../../cli/master/dead-letters/redrive.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { RunStore } from '../../cli/master/store/run-store.js';
import type { Target } from '../../cli/endpoint/target.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { WorkerProcesses } from '../../cli/workers/worker-processes.js';
import { encodeResultMessage, runAttributes } from '../../functions/wire/contract.js';
import { backendNames, startBackend, type Backend } from '../helpers/backends.js';
import { queueEnv, spawnCli } from '../helpers/cli.js';
import { eventually, queueDepth, sendRaw } from '../helpers/queue-peek.js';
import { openTestStore } from '../helpers/store.js';

describe.each(backendNames())('reliability on %s', (backendName) => {
  let backend: Backend;
  let home = '';
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    backend = await startBackend(backendName);
  });
  afterEach(async () => {
    await Promise.all(cleanups.splice(0).map((c) => c()));
  });
  afterAll(async () => {
    await backend.stop();
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

  it('resumes a collector killed mid-run from the results it wrote: nothing lost, nothing doubled', async () => {
    // Prepare: slow-ish results arriving over a few seconds. A killed collector's long poll may
    // still take messages on the server: a short visibility brings them back quickly.
    const target = await backend.target({ finishedVisibilityTimeoutSeconds: 2 });
    await inProcessWorkers(target);
    const { run } = await dispatch({ target, task: 'sleep', inputs: Array(20).fill(200), store, jobsPerMessage: 1 });
    const env = { FANOUT_HOME: home, ...queueEnv(target) };
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
    expect(moved).toEqual({ messages: 4, jobs: 3, failed: 0 });
    expect(completed).toMatchObject({ counts: { done: 3 }, complete: true });
  });
});
