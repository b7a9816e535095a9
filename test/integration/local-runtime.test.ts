/**
 * The library's local runtime: where its workers run, and what it keeps on disk.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../cli/local/local-runtime.js';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { countInputs } from '../../cli/master/dispatch/inputs.js';
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
      const { run, jobs } = await dispatch({ target: children.target, task: 'square', inputs: countInputs(3), home });
      const report = await collect({ target: children.target, manifest: { run, jobs }, timeoutMs: 30_000, home });
      const [pid] = children.workerProcesses!.pids;
      await children.stop();
      // Assess
      expect(inProcess.workers).toBeDefined();
      expect(inProcess.workerProcesses).toBeUndefined();
      expect(children.workers).toBeUndefined();
      expect(report).toMatchObject({ done: 3, ok: 3, complete: true });
      expect(isAlive(pid!)).toBe(false);
    } finally {
      await Promise.all([inProcess.stop(), children.stop()]);
    }
  });

  it('keeps its queues and messages in dataDir across a restart, each time with a new key', async () => {
    // Prepare
    const dataDir = join(await scratchDir('runtime-data-'), 'local');
    const first = await startLocalRuntime({ workers: false, dataDir });
    await dispatch({ target: first.target, task: 'square', inputs: countInputs(2), home: await scratchDir('runtime-home-'), jobsPerMessage: 1 });
    await first.stop();
    // Act
    const second = await startLocalRuntime({ workers: false, dataDir });
    try {
      // Assess
      expect(second.recovered).toMatchObject({ queues: 3, messages: 2 });
      await eventually(async () => (await queueDepth(second.target.sqs, second.target.queues.dispatched.url)).visible === 2);
      expect(second.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
    } finally {
      await second.stop();
    }
  });
});
