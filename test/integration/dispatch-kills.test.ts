/**
 * Death at any point, for dispatch: the real `fanout dispatch` in a child process, killed with
 * SIGKILL at 20 seeded points of a large run and resumed with `fanout dispatch --resume RUN` each
 * time. Workers run meanwhile, so results flow while dispatch dies; collect runs afterwards.
 *
 * The old code (7dd37d9) had no resume: a dispatch killed part-way left a manifest for the whole
 * run and no record of what was sent, so its collector waited for jobs never sent and exited 3.
 *
 * Size: FANOUT_DISPATCH_KILLS_JOBS (default 200,000 square jobs, packed 100 per message: 2,000
 * messages in 25 windows of 80, so the 20 points fall across the whole dispatch).
 */
import { describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { dispatchKillPoints, dispatchWithKills } from '../faults/dispatch-process.js';
import { mulberry32 } from '../faults/rng.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { queueEnv } from '../helpers/cli.js';
import { useTestStore } from '../helpers/store.js';

const SEED = 71_003;
const JOBS = Number(process.env.FANOUT_DISPATCH_KILLS_JOBS || 200_000);
const KILLS = 20;
const PACK = 100;

describe.each(backendNames())('dispatch killed at seeded points on %s', (backendName) => {
  const backend = useBackend(backendName);
  const testStore = useTestStore('dispatch-kills-');

  it(`stores every job of a ${JOBS}-job run exactly once, after ${KILLS} kill -9s of dispatch and a resume after each`, async () => {
    // Prepare: workers on the run's target; the kill points, seeded.
    const { store, home } = testStore;
    const target = await backend.target();
    const workers = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1, concurrency: 4 });
    const points = dispatchKillPoints(mulberry32(SEED), KILLS, JOBS);
    const env = { ...process.env, FANOUT_HOME: home, FANOUT_TARGET: '', ...queueEnv(target), ...backend.cliEnv };
    try {
      // Act: dispatch, kill, resume … until a life ends by itself; then collect.
      const dispatched = await dispatchWithKills({
        args: ['--task', 'square', '--count', String(JOBS), '--pack', String(PACK), '--target', backend.endpoint],
        resumeArgs: ['--target', backend.endpoint],
        env,
        store,
        points,
        log: process.env.FANOUT_TEST_LOG ? (line) => process.stderr.write(`${line}\n`) : undefined,
      });
      expect(dispatched.final ?? { code: 0, signal: null }, `seed ${SEED}; the last dispatch said: ${dispatched.finalStderr}`).toEqual({ code: 0, signal: null });
      const run = dispatched.run!;
      const report = await collect({ target, store, run, timeoutMs: 600_000 });

      // Assess: every kill landed, the run is complete, and job i's one result is i².
      expect(dispatched.confirmed, `seed ${SEED}`).toBe(KILLS);
      expect(dispatched.killedAt.filter((sent) => sent > 0 && sent < JOBS).length, `kills landed at ${dispatched.killedAt.join(', ')} jobs sent`).toBeGreaterThanOrEqual(KILLS / 2);
      expect(report).toMatchObject({ complete: true, ok: true, state: 'complete', jobs: JOBS, jobsSent: JOBS, missingCount: 0, counts: { done: JOBS, ok: JOBS, failed: 0, conflicts: 0, quarantined: 0 } });
      let expected = 0;
      const wrong: number[] = [];
      for (const result of store.results(run)) {
        if (result.id !== expected || !result.ok || result.output !== result.id * result.id) wrong.push(result.id);
        expected = result.id + 1;
      }
      expect(wrong.slice(0, 20), `seed ${SEED}`).toEqual([]);
      expect(expected).toBe(JOBS);
      expect(store.requireRun(run)).toMatchObject({ state: 'complete', resultsQueueDeleted: true });
    } finally {
      await workers.stop({ abort: true });
    }
  }, 900_000);
});
