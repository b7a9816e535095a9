/**
 * Concurrent runs on one stack do not get in each other's way: each run's results travel on a
 * queue of its own, so a collector never receives, holds or delays another run's results.
 */
import { describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { MasterEmitter } from '../../cli/master/events.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { eventually, queueDepth } from '../helpers/queue-peek.js';
import { openTestStore } from '../helpers/store.js';

describe.each(backendNames())('concurrent runs on %s', (backendName) => {
  const backend = useBackend(backendName);

  it('two runs of 20,000 jobs collected at once each complete, with no result of the other', async () => {
    // Prepare
    const target = await backend.target();
    const { store } = await openTestStore('isolation-');
    const workers = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    try {
      const [a, b] = await Promise.all([
        dispatch({ target, store, task: 'square', inputs: { kind: 'count', count: 20_000 } }),
        dispatch({ target, store, task: 'square', inputs: { kind: 'count', count: 20_000 } }),
      ]);
      // Act
      const [ra, rb] = await Promise.all([collect({ target, store, run: a.run, timeoutMs: 120_000 }), collect({ target, store, run: b.run, timeoutMs: 120_000 })]);
      // Assess
      for (const report of [ra, rb]) expect(report).toMatchObject({ complete: true, ok: true, counts: { done: 20_000, duplicates: 0, conflicts: 0, quarantined: 0 } });
      expect(store.requireRun(a.run).queues.results).not.toBe(store.requireRun(b.run).queues.results);
    } finally {
      await workers.stop({ abort: true });
      store.close();
    }
  }, 180_000);

  it('collects a 10-job run while 100,000 results of another run wait, without touching them', async () => {
    // Prepare: a big run's results all waiting, uncollected.
    const target = await backend.target();
    const { store } = await openTestStore('isolation-busy-');
    const workers = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    try {
      const big = await dispatch({ target, store, task: 'square', inputs: { kind: 'count', count: 100_000 } });
      const bigQueue = store.requireRun(big.run).queues.results!;
      await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).visible + (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 0, 120_000, 250);
      const waiting = await queueDepth(target.sqs, bigQueue);
      const small = await dispatch({ target, store, task: 'square', inputs: Array.from({ length: 10 }, (_, i) => i) });
      const events = new MasterEmitter();
      let lastResultAt = 0;
      events.on('result', () => (lastResultAt = Date.now()));
      // Act
      const report = await collect({ target, store, run: small.run, timeoutMs: 60_000, events });
      const endedAt = Date.now();
      // Assess: complete, and the big run's results were neither taken nor hidden.
      expect(report).toMatchObject({ complete: true, counts: { done: 10 } });
      expect(waiting.visible).toBeGreaterThan(0);
      expect(await queueDepth(target.sqs, bigQueue)).toEqual({ visible: waiting.visible, inFlight: 0 });
      process.stderr.write(`[isolation] 10-job run collected ${endedAt - lastResultAt} ms after its last result, beside ${waiting.visible} waiting result messages of a 100,000-job run\n`);
    } finally {
      await workers.stop({ abort: true });
      store.close();
    }
  }, 240_000);
});
