/**
 * The whole fan-out over the real SQS protocol: dispatch → local event-source poller running the
 * Lambda handler → collect. The same assertions on every backend.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { MasterEmitter } from '../../cli/master/events.js';
import type { EventSourcePoller } from '../../cli/workers/event-source-poller.js';
import type { Target } from '../../cli/endpoint/target.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import type { Result } from '../../functions/wire/contract.js';
import type { RunStore } from '../../cli/store/run-store.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { openTestStore } from '../helpers/store.js';
import { queueDepth, sendRaw } from '../helpers/queue-peek.js';

describe.each(backendNames())('pipeline on %s', (backendName) => {
  const backend = useBackend(backendName);
  let store: RunStore;
  const running: EventSourcePoller[] = [];

  beforeAll(async () => {
    ({ store } = await openTestStore('pipeline-'));
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((poller) => poller.stop({ abort: true })));
  });
  afterAll(() => {
    store.close();
  });

  async function workersFor(target: Target): Promise<void> {
    running.push(await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 }));
  }

  it('computes ten square jobs: results 0, 1, 4, …, 81, each exactly once', async () => {
    // Prepare
    const target = await backend.target();
    await workersFor(target);
    const events = new MasterEmitter();
    const seen: Result[] = [];
    events.on('result', ({ result }) => seen.push(result));
    // Act
    const { run, messages } = await dispatch({ target, task: 'square', inputs: { kind: 'count', count: 10 }, store });
    const report = await collect({ target, run, events, timeoutMs: 30_000, store });
    // Assess
    expect(messages).toBe(10);
    expect(report).toMatchObject({ jobs: 10, counts: { done: 10, ok: 10, failed: 0 }, missing: [], complete: true, ok: true });
    expect(seen.map((r) => r.id).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Object.fromEntries(seen.map((r) => [r.id, r.ok && r.output]))).toEqual({ 0: 0, 1: 1, 2: 4, 3: 9, 4: 16, 5: 25, 6: 36, 7: 49, 8: 64, 9: 81 });
  });

  it('reports a job that throws as an error result, and the other jobs as ok', async () => {
    // Prepare
    const target = await backend.target();
    await workersFor(target);
    const inputs = [{ fail: false, value: 'fine' }, 'kaput', { fail: false, value: 2 }];
    const events = new MasterEmitter();
    const seen = new Map<number, Result>();
    events.on('result', ({ result }) => seen.set(result.id, result));
    // Act
    const { run } = await dispatch({ target, task: 'fail', inputs, store });
    const report = await collect({ target, run, events, timeoutMs: 30_000, store });
    // Assess
    expect(report).toMatchObject({ counts: { done: 3, ok: 2, failed: 1 }, complete: true, ok: false });
    expect(seen.get(1)).toMatchObject({ ok: false, error: { name: 'Error', message: 'kaput' } });
    expect(seen.get(2)).toMatchObject({ ok: true, output: 2 });
  });

  it('processes the other records of a batch when one message is malformed, and keeps the malformed one', async () => {
    // Prepare: the malformed message goes first, so it shares a batch with the jobs.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 30 });
    await sendRaw(target.sqs, target.queues.dispatched.url, '{"v":1,"run":"r-bad","task":"square","jobs":"not a list"}');
    const { run } = await dispatch({ target, task: 'square', inputs: { kind: 'count', count: 5 }, store });
    // Act
    await workersFor(target);
    const report = await collect({ target, run, timeoutMs: 30_000, store });
    // Assess: the jobs are done; the malformed message was not deleted (it waits out its visibility, then the DLQ).
    expect(report).toMatchObject({ counts: { done: 5, ok: 5 }, complete: true });
    await running.splice(0)[0]!.stop({ abort: true });
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 0, inFlight: 1 });
  });

  it('lists the missing job ids at the timeout when no worker runs', async () => {
    // Prepare
    const target = await backend.target();
    const { run } = await dispatch({ target, task: 'square', inputs: { kind: 'count', count: 4 }, store });
    const timeouts: number[][] = [];
    const events = new MasterEmitter();
    events.on('timeout', ({ missing }) => timeouts.push(missing));
    // Act
    const report = await collect({ target, run, events, timeoutMs: 1500, store });
    // Assess
    expect(report).toMatchObject({ counts: { done: 0 }, complete: false, missing: [0, 1, 2, 3], missingCount: 4 });
    expect(timeouts).toEqual([[0, 1, 2, 3]]);
  });

  it('leaves another run\'s results on the queue for its own collector', async () => {
    // Prepare: two runs, one collector each, one after the other.
    const target = await backend.target();
    await workersFor(target);
    const first = await dispatch({ target, task: 'square', inputs: { kind: 'count', count: 3 }, store });
    const second = await dispatch({ target, task: 'square', inputs: [10, 20], store });
    // Act
    const secondReport = await collect({ target, run: second.run, timeoutMs: 30_000, store });
    const firstReport = await collect({ target, run: first.run, timeoutMs: 30_000, store });
    // Assess
    expect(secondReport).toMatchObject({ counts: { done: 2 }, complete: true });
    expect(firstReport).toMatchObject({ counts: { done: 3 }, complete: true });
  });
});
