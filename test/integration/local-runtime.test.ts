/**
 * The library's local runtime: where its workers run, and what it keeps on disk.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../cli/local/local-runtime.js';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { RunStore } from '../../cli/store/run-store.js';
import { isAlive } from '../helpers/cli.js';
import { eventually, queueDepth } from '../helpers/queue-peek.js';
import { scratchDir } from '../helpers/scratch.js';

describe('startLocalRuntime', () => {
  it('runs its workers in this process by default, and in child processes when asked', async () => {
    // Prepare
    const home = await scratchDir('runtime-');
    const inProcess = await startLocalRuntime({ workers: { logLevel: 'SILENT' } });
    const children = await startLocalRuntime({ workers: { processes: 1, logLevel: 'SILENT', waitTimeSeconds: 1 } });
    try {
      // Act
      const store = RunStore.open({ path: join(home, 'fanout.db') });
      const { run } = await dispatch({ target: children.target, task: 'square', inputs: { kind: 'count', count: 3 }, store });
      const report = await collect({ target: children.target, store, run, timeoutMs: 30_000 });
      store.close();
      const [pid] = children.workerProcesses!.pids;
      await children.stop();
      // Assess
      expect(inProcess.workers).toBeDefined();
      expect(inProcess.workerProcesses).toBeUndefined();
      expect(children.workers).toBeUndefined();
      expect(report).toMatchObject({ counts: { done: 3, ok: 3 }, complete: true });
      expect(isAlive(pid!)).toBe(false);
    } finally {
      await Promise.all([inProcess.stop(), children.stop()]);
    }
  });

  it('keeps its queues and messages in dataDir across a restart, each time with a new key', async () => {
    // Prepare
    const dataDir = join(await scratchDir('runtime-data-'), 'local');
    const first = await startLocalRuntime({ workers: false, dataDir });
    const store = RunStore.open({ path: join(await scratchDir('runtime-home-'), 'fanout.db') });
    await dispatch({ target: first.target, task: 'square', inputs: { kind: 'count', count: 2 }, store, jobsPerMessage: 1 });
    store.close();
    await first.stop();
    // Act
    const second = await startLocalRuntime({ workers: false, dataDir });
    try {
      // Assess
      // The stack's three queues and the run's own result queue.
      expect(second.recovered).toMatchObject({ queues: 4, messages: 2 });
      await eventually(async () => (await queueDepth(second.target.sqs, second.target.queues.dispatched.url)).visible === 2);
      expect(second.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
    } finally {
      await second.stop();
    }
  });
});

describe('the embedded server', () => {
  it('names queues on the host the client used (127.0.0.1), which resolves on any machine', async () => {
    // Prepare
    const runtime = await startLocalRuntime({ workers: false });
    try {
      // Act
      const { CreateQueueCommand, ListQueuesCommand } = await import('@aws-sdk/client-sqs');
      const created = await runtime.target.sqs.send(new CreateQueueCommand({ QueueName: 'any-tool' }));
      const listed = await runtime.target.sqs.send(new ListQueuesCommand({}));
      // Assess
      const origin = new URL(runtime.endpoint).origin;
      expect(new URL(created.QueueUrl!).origin).toBe(origin);
      expect(listed.QueueUrls!.every((url) => new URL(url).origin === origin)).toBe(true);
    } finally {
      await runtime.stop();
    }
  });
});
