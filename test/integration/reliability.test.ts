/**
 * Nothing lost, nothing doubled: what happens when sends fail, workers die, messages come twice,
 * collectors restart, and jobs end in the dead-letter queue. Real SQS protocol throughout.
 */
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { redrive } from '../../cli/master/dead-letters/redrive.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { countInputs } from '../../cli/master/dispatch/inputs.js';
import { runResultsPath } from '../../cli/master/paths.js';
import type { Target } from '../../cli/endpoint/target.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { WorkerProcesses } from '../../cli/workers/worker-processes.js';
import { encodeResultMessage, runAttributes, type Result } from '../../functions/wire/contract.js';
import { backendNames, startBackend, type Backend } from '../helpers/backends.js';
import { queueEnv, spawnCli } from '../helpers/cli.js';
import { eventually, queueDepth, sendRaw } from '../helpers/queue-peek.js';

describe.each(backendNames())('reliability on %s', (backendName) => {
  let backend: Backend;
  let home: string;
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
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'fanout-rel-'));
  });

  async function inProcessWorkers(target: Target) {
    const poller = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    cleanups.push(() => poller.stop({ abort: true }));
    return poller;
  }

  async function resultLines(run: string): Promise<Result[]> {
    return (await readFile(runResultsPath(run, home), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Result);
  }

  it('retries a record whose results could not be sent, and the job gets exactly one result', async () => {
    // Prepare: the workers' client fails its first two SendMessageBatch calls, as a network would.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 1 });
    let failures = 2;
    target.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand' && (args.input as { QueueUrl?: string }).QueueUrl === target.queues.finished.url && failures-- > 0) {
          throw Object.assign(new Error('socket hang up'), { name: 'NetworkingError', $retryable: undefined });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectSendFailure' },
    );
    const { run, jobs } = await dispatch({ target, task: 'square', inputs: countInputs(3), home });
    // Act
    const poller = await inProcessWorkers(target);
    let failedRecords = 0;
    poller.on('invoked', (e) => (failedRecords += e.failed));
    const report = await collect({ target, manifest: { run, jobs }, timeoutMs: 30_000, home });
    // Assess
    expect(failures).toBeLessThan(0);
    expect(failedRecords).toBeGreaterThan(0);
    expect(report).toMatchObject({ done: 3, ok: 3, complete: true });
    expect((await resultLines(run)).map((r) => r.id).sort()).toEqual([0, 1, 2]);
  });

  it('keeps one result per job when a result arrives twice', async () => {
    // Prepare: the same result message sent twice, as an at-least-once platform may.
    const target = await backend.target();
    const { run, jobs } = await dispatch({ target, task: 'square', inputs: countInputs(2), home });
    const body = encodeResultMessage(run, [{ id: 0, ok: true, output: 0, ms: 1 }, { id: 1, ok: true, output: 1, ms: 1 }]);
    for (let i = 0; i < 2; i++) {
      await target.sqs.send(new SendMessageCommand({ QueueUrl: target.queues.finished.url, MessageBody: body, MessageAttributes: runAttributes(run) }));
    }
    // Act
    const first = await collect({ target, manifest: { run, jobs }, timeoutMs: 30_000, home });
    const again = await collect({ target, manifest: { run, jobs }, timeoutMs: 2_000, home });
    // Assess
    expect(first).toMatchObject({ done: 2, complete: true });
    expect(again).toMatchObject({ done: 2, complete: true });
    expect(first.duplicates + again.duplicates).toBe(2);
    expect((await resultLines(run)).map((r) => r.id)).toEqual([0, 1]);
  });

  it('finishes the messages of a worker process killed mid-batch, once their visibility runs out', async () => {
    // Prepare: one worker process; jobs that take long enough to kill it while they run.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 2 });
    const pool = new WorkerProcesses({ target, processes: 1, logLevel: 'SILENT', waitTimeSeconds: 1 });
    cleanups.push(() => pool.stop({ force: true }));
    await pool.start();
    const { run, jobs } = await dispatch({ target, task: 'sleep', inputs: Array(4).fill(1500), home });
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight > 0);
    // Act
    const [victim] = pool.pids;
    process.kill(victim!, 'SIGKILL');
    const report = await collect({ target, manifest: { run, jobs }, timeoutMs: 40_000, home });
    // Assess
    expect(pool.pids).not.toContain(victim);
    expect(report).toMatchObject({ done: 4, ok: 4, complete: true });
    expect((await resultLines(run)).map((r) => r.id).sort()).toEqual([0, 1, 2, 3]);
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
    await dispatch({ target, task: 'burn', inputs: [4500], home });
    // Assess: killed at each delivery, then dead-lettered; it never ran long enough to send a
    // result, so no two runs overlapped; the killed processes were replaced.
    await eventually(async () => (await queueDepth(target.sqs, target.queues.deadLetter.url)).visible === 1, 40_000, 250);
    expect(await queueDepth(target.sqs, target.queues.finished.url)).toEqual({ visible: 0, inFlight: 0 });
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
    const { run, jobs } = await dispatch({ target, task: 'sleep', inputs: Array(20).fill(200), home, jobsPerMessage: 1 });
    const env = { FANOUT_HOME: home, ...queueEnv(target), ...backend.cliEnv };
    // Act: kill -9 the first collector once it has written something, then run another.
    const first = spawnCli(['collect', '--run', run, '--target', backend.endpoint, '--timeout', '30'], env);
    const closed = once(first, 'close');
    await eventually(() => readFile(runResultsPath(run, home), 'utf8').then((t) => t.length > 0, () => false), 20_000, 20);
    first.kill('SIGKILL');
    await closed;
    const report = await collect({ target, manifest: { run, jobs }, timeoutMs: 30_000, home });
    // Assess
    expect(report).toMatchObject({ done: 20, complete: true });
    const ids = (await resultLines(run)).map((r) => r.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
  });

  it('names the dead-lettered jobs at the timeout, and redrive brings them back to completion', async () => {
    // Prepare: a run whose messages are dead-lettered (no worker; moved by SQS after max receives).
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 1, maxReceiveCount: 1 });
    const { run, jobs } = await dispatch({ target, task: 'square', inputs: countInputs(3), home, jobsPerMessage: 1 });
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
    const timedOut = await collect({ target, manifest: { run, jobs }, timeoutMs: 1000, home });
    const moved = await redrive({ target, run });
    await inProcessWorkers(target);
    const completed = await collect({ target, manifest: { run, jobs }, timeoutMs: 30_000, home });
    // Assess
    expect(timedOut).toMatchObject({ missing: [0, 1, 2], deadLettered: [0, 1, 2], deadLetteredUnreadable: 1, complete: false });
    expect(moved).toEqual({ messages: 4, jobs: 3, failed: 0 });
    expect(completed).toMatchObject({ done: 3, complete: true });
  });
});
