/**
 * Two at once: two and three `fanout collect` processes of one 20,000-job run, started together
 * while the workers produce its results. Each must end complete (exit 0): none may wait for
 * results another one took (the spurious exit 3 of the old code, whose collectors each kept
 * their own tally), the store must hold exactly one result per job, and each collector's --json
 * output must show every job once, those another collector stored included.
 */
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { CollectorProcess } from '../faults/collector-process.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { queueEnv } from '../helpers/cli.js';
import { useTestStore } from '../helpers/store.js';

const JOBS = 20_000;

describe.each(backendNames())('concurrent collectors on %s', (backendName) => {
  const backend = useBackend(backendName);
  const testStore = useTestStore('concurrent-collectors-');

  it.each([2, 3])(`%i collector processes of one ${JOBS}-job run end with exactly one result per job, each complete`, async (collectors) => {
    // Prepare: the run dispatched, its collectors started together, then the workers.
    const { store, home } = testStore;
    const target = await backend.target();
    const { run } = await dispatch({ target, store, task: 'square', inputs: { kind: 'count', count: JOBS }, jobsPerMessage: 20 });
    const env = { ...process.env, ...queueEnv(target), ...backend.cliEnv };
    const lives = Array.from({ length: collectors }, () => new CollectorProcess({ run, endpoint: backend.endpoint, home, timeoutSeconds: 300, env }));
    const workers = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    try {
      // Act
      const exits = await Promise.all(lives.map((life) => life.exited));

      // Assess: every collector ended complete, on its own, with exit 0.
      for (const [i, life] of lives.entries()) {
        expect(exits[i], `collector ${i + 1} of ${collectors} said: ${life.stderr}`).toEqual({ code: 0, signal: null });
        expect(life.summary, `collector ${i + 1}`).toMatchObject({ complete: true, ok: true, missingCount: 0 });
        // Its --json output, as the README promises: one `result` line per job, whichever collector stored it.
        expect({ lines: life.results, jobs: life.jobsPrinted.size }, `collector ${i + 1}'s result lines`).toEqual({ lines: JOBS, jobs: JOBS });
      }
      // Assess: one result per job, each right; nothing conflicting or quarantined.
      expect(store.requireRun(run)).toMatchObject({ state: 'complete', counts: { done: JOBS, ok: JOBS, failed: 0, conflicts: 0, quarantined: 0 } });
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
