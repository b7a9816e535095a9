/**
 * Death at any point, for collect, while another collector runs: one `fanout collect` process
 * keeps collecting a 20,000-job run while a second is killed with `kill -9` at seeded points of
 * the run's progress (and a seeded few ms after each) and started again. Afterwards the store
 * must pass `PRAGMA integrity_check`, and a restarted collector must complete the run with every
 * job once.
 *
 * The workers are held to a few records at a time, so the results flow for longer than the
 * second collector's restarts take and every kill lands while results are being stored.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { CollectorProcess } from '../faults/collector-process.js';
import { mulberry32 } from '../faults/rng.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { queueEnv } from '../helpers/cli.js';
import { useTestStore } from '../helpers/store.js';

const SEED = 52_117;
const JOBS = 20_000;
const KILLS = 6;

describe.each(backendNames())('a collector killed at seeded points while another runs, on %s', (backendName) => {
  const backend = useBackend(backendName);
  const testStore = useTestStore('collector-kills-');

  it(`leaves a sound store, and a restart completes the ${JOBS}-job run with every job once, after ${KILLS} kill -9s`, async () => {
    // Prepare: the run; a short visibility on its result queue (what a killed collector held comes back soon); the kill points.
    const { store, home } = testStore;
    const target = await backend.target({ finishedVisibilityTimeoutSeconds: 2 });
    const { run } = await dispatch({ target, store, task: 'square', inputs: { kind: 'count', count: JOBS }, jobsPerMessage: 10 });
    const rng = mulberry32(SEED);
    const points = Array.from({ length: KILLS }, () => ({ done: Math.floor((0.03 + rng.next() * 0.75) * JOBS), delayMs: rng.int(0, 150) })).sort((a, b) => a.done - b.done);
    const env = { ...process.env, ...queueEnv(target), ...backend.cliEnv };
    const start = () => new CollectorProcess({ run, endpoint: backend.endpoint, home, timeoutSeconds: 300, env });
    const steady = start();
    const lives: CollectorProcess[] = [steady];
    const workers = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1, concurrency: 1, batchSize: 2 });
    try {
      // Act: start the second collector, kill it at its point, again and again.
      const killedAt: number[] = [];
      for (const point of points) {
        const victim = start();
        lives.push(victim);
        while (victim.running && store.requireRun(run).counts.done < point.done) await delay(10);
        await delay(point.delayMs);
        const exit = await victim.kill();
        expect(exit, `seed ${SEED}: the collector to kill at ${point.done} ended first; it said: ${victim.stderr}`).toEqual({ code: null, signal: 'SIGKILL' });
        killedAt.push(store.requireRun(run).counts.done);
      }
      const integrity = store.database.prepare('PRAGMA integrity_check').all();
      const restarted = start();
      lives.push(restarted);
      const [steadyExit, restartedExit] = await Promise.all([steady.exited, restarted.exited]);

      // Assess: the kills landed mid-run; the store is sound; both live collectors completed; every job once, right.
      expect(killedAt.filter((done) => done < JOBS).length, `seed ${SEED}: kills at ${killedAt.join(', ')}`).toBe(KILLS);
      expect(integrity).toEqual([{ integrity_check: 'ok' }]);
      expect(steadyExit, steady.stderr).toEqual({ code: 0, signal: null });
      expect(restartedExit, restarted.stderr).toEqual({ code: 0, signal: null });
      expect(restarted.summary).toMatchObject({ complete: true, ok: true, counts: { done: JOBS, conflicts: 0, quarantined: 0 } });
      let expected = 0;
      const wrong: number[] = [];
      for (const result of store.results(run)) {
        if (result.id !== expected || !result.ok || result.output !== result.id * result.id) wrong.push(result.id);
        expected = result.id + 1;
      }
      expect(wrong.slice(0, 20)).toEqual([]);
      expect(expected).toBe(JOBS);
    } finally {
      await Promise.all(lives.map((life) => life.kill()));
      await workers.stop({ abort: true });
    }
  }, 600_000);
});
