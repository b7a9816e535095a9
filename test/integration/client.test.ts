/**
 * The typed client, `fanout()`, end to end: an embedded runtime started in this process with a
 * user's tasks module (zod and valibot schemas), dispatch and collect side by side, the run store.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fanout, type FanoutClient } from '../../cli/client/fanout-client.js';
import type { MapResult } from '../../cli/client/types.js';
import { claimLocalState } from '../../cli/endpoint/local-state.js';
import { startLocalRuntime } from '../../cli/local/local-runtime.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { STORE_MAX_BYTES_ENV } from '../../cli/store/database.js';
import { RunStore } from '../../cli/store/run-store.js';
import { TaskRegistry } from '../../functions/tasks/registry.js';
import * as builtin from '../../functions/tasks/builtin.js';
import { StorageError, UsageError } from '../../functions/wire/errors.js';
import * as tasks from '../fixtures/project/tasks.js';
import { scratchDir } from '../helpers/scratch.js';

const registry = new TaskRegistry(tasks, builtin);
const opened: FanoutClient[] = [];

async function client(options: Parameters<typeof fanout>[0] = {}): Promise<{ fan: FanoutClient; home: string }> {
  const home = await scratchDir('client-');
  const fan = await fanout({ tasks: registry, target: 'local', home, ...options });
  opened.push(fan);
  return { fan, home };
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((fan) => fan.close()));
});

/** A gate the test opens: an input stream can wait on it. */
function gate(): { open: () => void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

function ids(results: readonly MapResult<unknown>[]): number[] {
  return results.map((r) => r.id).sort((a, b) => a - b);
}

describe('fanout({ target: "local" })', () => {
  it('starts an embedded runtime with the given tasks when no `fanout local` runs, and stops it on close', async () => {
    // Prepare
    const { fan } = await client();
    // Act
    const { results, summary } = await fan.mapAll(tasks.cube, [1, 2, 3]);
    await fan.close();
    // Assess
    expect(fan.embedded).toBe(true);
    expect(results.map((r) => r.ok && r.output)).toEqual([1, 8, 27]);
    expect(summary).toMatchObject({ complete: true, ok: true, missing: [] });
    await expect(fetch(fan.target.connection.kind === 'endpoint' ? fan.target.connection.url : '')).rejects.toThrow();
  });

  it('uses the `fanout local` recorded in its home when there is one', async () => {
    // Prepare
    const home = await scratchDir('client-local-');
    const runtime = await startLocalRuntime({ workers: { tasks: registry, waitTimeSeconds: 1 } });
    await claimLocalState({ endpoint: runtime.endpoint, pid: process.pid, startedAt: new Date().toISOString(), credentials: runtime.credentials }, join(home, 'local.json'));
    try {
      // Act
      const { fan } = await client({ home });
      const { results } = await fan.mapAll(tasks.cube, [4]);
      // Assess
      expect(fan.embedded).toBe(false);
      expect(fan.target.where).toBe(runtime.endpoint);
      expect(results.map((r) => r.ok && r.output)).toEqual([64]);
    } finally {
      await runtime.stop();
    }
  });
});

describe('map()', () => {
  it('yields results as they arrive: the first before the last input is even read', async () => {
    // Prepare: the last input is given only once a result has come back.
    const { fan } = await client();
    const firstResult = gate();
    const events: string[] = [];
    async function* inputs() {
      for (const text of ['one', 'two words']) {
        events.push(`input ${text}`);
        yield { text };
      }
      await Promise.race([firstResult.opened, new Promise((_, reject) => setTimeout(() => reject(new Error('no result before the last input: results do not stream')), 20_000))]);
      events.push('input last');
      yield { text: 'the third one' };
    }
    // Act
    const results: MapResult<{ words: number }>[] = [];
    const stream = fan.map(tasks.wordCount, inputs(), { timeout: '30s' });
    for await (const result of stream) {
      events.push(`result ${result.id}`);
      results.push(result);
      firstResult.open();
    }
    // Assess
    expect(events.indexOf('input last')).toBeGreaterThan(events.findIndex((e) => e.startsWith('result')));
    expect(results.map((r) => [r.id, r.ok && r.output.words]).sort()).toEqual([[0, 1], [1, 2], [2, 3]]);
    expect(stream.summary).toMatchObject({ run: stream.run, complete: true, ok: true, jobs: 3 });
  });

  it('records every result in the run store, each exactly once', async () => {
    // Prepare
    const { fan, home } = await client();
    // Act
    const { run, results } = await fan.mapAll(tasks.cube, Array.from({ length: 50 }, (_, i) => i));
    await fan.close();
    // Assess
    const store = RunStore.open({ path: join(home, 'fanout.db') });
    try {
      expect([...store.results(run)].map((r) => [r.id, r.ok && r.output])).toEqual(results.map((r) => [r.id, r.ok && r.output]));
      expect(ids(results)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(store.requireRun(run)).toMatchObject({ state: 'complete', task: 'cube', counts: { done: 50, duplicates: 0 } });
    } finally {
      store.close();
    }
  });

  it('runs a valibot-checked task', async () => {
    const { fan } = await client();
    const { results } = await fan.mapAll(tasks.shout, [{ word: 'hey' }]);
    expect(results).toMatchObject([{ ok: true, output: 'HEY!' }]);
  });

  it('fails if an input breaks the task schema, naming its index, and sends nothing', async () => {
    // Prepare
    const { fan, home } = await client();
    // Act
    const failing = fan.mapAll(tasks.wordCount, [{ text: 'fine' }, { text: 3 } as unknown as { text: string }]);
    // Assess
    await expect(failing).rejects.toThrow(new UsageError("input 1: the input does not match task word-count's schema at text: Invalid input: expected string, received number"));
    const store = RunStore.open({ path: join(home, 'fanout.db') });
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('fails if the task is not among the client\'s tasks', async () => {
    const { fan } = await client({ tasks: { cube: tasks.cube } });
    expect(() => fan.map(tasks.wordCount, [{ text: 'x' }])).toThrow(/task word-count is not among this client's tasks \(cube\)/);
  });

  it('returns the results of a worker\'s checks: InputError for an input sent unchecked, OutputError for an output against its schema', async () => {
    // Prepare: an input sent by a dispatch that knows no schema.
    const { fan, home } = await client();
    const store = RunStore.open({ path: join(home, 'fanout.db') });
    const { run } = await dispatch({ target: fan.target, store, task: 'cube', inputs: ['three'] });
    store.close();
    // Act
    const unchecked = await fan.resumeAll(run, { task: tasks.cube });
    const lying = await fan.mapAll(tasks.liar, [2]);
    // Assess
    expect(unchecked.results).toMatchObject([{ id: 0, ok: false, error: { name: 'InputError', message: "the input does not match the task's schema: Invalid input: expected number, received string" } }]);
    expect(lying.results).toMatchObject([{ id: 0, ok: false, error: { name: 'OutputError', message: "the output at count does not match the task's schema: Too small: expected number to be >0" } }]);
    expect(lying.summary).toMatchObject({ complete: true, ok: false, counts: { failed: 1 } });
  });

  it('ends at the timeout with the missing ids in the summary, as collect does', async () => {
    // Prepare
    const { fan } = await client();
    // Act
    const { results, summary } = await fan.mapAll(builtin.sleep, [0, 2000], { timeout: '300ms' });
    // Assess
    expect(results.map((r) => r.id)).toEqual([0]);
    expect(summary).toMatchObject({ complete: false, end: 'timeout', missing: [1], missingCount: 1 });
  });

  it('ends at the timeout while a stream of inputs is still being read, and the run can be resumed with the inputs again', async () => {
    // Prepare: a stream that gives one input, then nothing more.
    const { fan } = await client();
    const stalled = new AbortController();
    async function* oneThenNothing() {
      yield 2;
      await new Promise((resolve) => stalled.signal.addEventListener('abort', resolve, { once: true }));
    }
    // Act
    const first = await fan.mapAll(tasks.cube, oneThenNothing(), { timeout: '1s' });
    stalled.abort();
    const rest = await fan.resumeAll(first.run, { task: tasks.cube, inputs: [2, 3, 4] });
    // Assess
    expect(first.results.map((r) => r.ok && r.output)).toEqual([8]);
    expect(first.summary).toMatchObject({ complete: false, end: 'timeout', jobsSent: 1 });
    expect(rest.results.map((r) => r.ok && r.output)).toEqual([8, 27, 64]);
    expect(rest.summary).toMatchObject({ complete: true, ok: true, counts: { done: 3, duplicates: 0 } });
  });

  it('fails if an input of a stream breaks the schema, after the results of those before it', async () => {
    // Prepare
    const { fan } = await client();
    const firstResult = gate();
    async function* goodThenBad() {
      yield { text: 'fine' };
      await firstResult.opened;
      yield { text: 7 } as unknown as { text: string };
    }
    const seen: number[] = [];
    // Act
    const iterating = (async () => {
      for await (const result of fan.map(tasks.wordCount, goodThenBad())) {
        seen.push(result.id);
        firstResult.open();
      }
    })();
    // Assess
    await expect(iterating).rejects.toThrow("input 1: the input does not match task word-count's schema at text: Invalid input: expected string, received number");
    expect(seen).toEqual([0]);
  });

  it('fails with the store\'s error (not the stop it causes) when the store fills while a stream is still being sent', async () => {
    // Prepare: a store capped at its first pages; a stream that gives 3,000 inputs, then waits.
    process.env[STORE_MAX_BYTES_ENV] = '4096';
    const { fan } = await client().finally(() => delete process.env[STORE_MAX_BYTES_ENV]);
    const never = gate();
    async function* thenWait() {
      for (let i = 0; i < 3000; i++) yield i;
      await never.opened;
    }
    // Act
    const iterating = fan.mapAll(tasks.cube, thenWait());
    // Assess
    await expect(iterating).rejects.toThrow(StorageError);
    await expect(iterating).rejects.toThrow(/the disk is full \(or the database reached its size limit\)/);
  });

  it('stops on an abort signal, throwing its reason, and leaves the run resumable', async () => {
    // Prepare
    const { fan } = await client();
    const abort = new AbortController();
    const stream = fan.map(builtin.sleep, [0, 500, 500], { signal: abort.signal });
    const seen: number[] = [];
    // Act
    const iterating = (async () => {
      for await (const result of stream) {
        seen.push(result.id);
        abort.abort(new Error('enough'));
      }
    })();
    // Assess
    await expect(iterating).rejects.toThrow('enough');
    expect(seen).toEqual([0]);
    expect(stream.summary).toMatchObject({ end: 'aborted', complete: false });
    const rest = await fan.resumeAll(stream.run!, { task: builtin.sleep });
    expect(rest.results.map((r) => [r.id, r.ok && r.output])).toEqual([[0, 0], [1, 500], [2, 500]]);
  });

  it('leaves a run resumable when the loop breaks: resume yields what is stored, then the rest, each once', async () => {
    // Prepare: a stream that gives two inputs, then waits until it is closed.
    const { fan } = await client();
    const inputs = Array.from({ length: 6 }, (_, i) => i);
    async function* firstTwoThenStall(signal: AbortSignal) {
      yield* inputs.slice(0, 2);
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }
    const stall = new AbortController();
    const stream = fan.map(tasks.cube, firstTwoThenStall(stall.signal));
    // Act
    const before: MapResult<number>[] = [];
    for await (const result of stream) {
      before.push(result);
      break;
    }
    stall.abort();
    const resumed = await fan.resumeAll(stream.run!, { task: tasks.cube, inputs });
    // Assess
    expect(stream.summary).toMatchObject({ end: 'aborted', complete: false });
    expect(resumed.results.map((r) => [r.id, r.ok && r.output])).toEqual(inputs.map((i) => [i, i ** 3]));
    expect(resumed.results.find((r) => r.id === before[0]!.id)).toEqual(before[0]);
    expect(resumed.summary).toMatchObject({ complete: true, counts: { done: 6, duplicates: 0 } });
  });

  it('closes while a consumer that took one result pauses and collecting waits for it (past 10,000 results queued)', async () => {
    // Prepare: 12,000 jobs; the consumer takes one result and stops pulling without ending the loop
    const { fan, home } = await client();
    const stream = fan.map(tasks.cube, Array.from({ length: 12_000 }, (_, i) => i % 10), { timeout: '60s' });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const store = RunStore.open({ path: join(home, 'fanout.db') });
    let stored = 0;
    try {
      for (let i = 0; i < 600 && stored <= 10_001; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        stored = store.getRun(stream.run!)?.counts.done ?? 0;
      }
    } finally {
      store.close();
    }
    // Act
    const closed = await Promise.race([fan.close().then(() => 'closed'), new Promise((resolve) => setTimeout(resolve, 10_000, 'still waiting after 10 s'))]);
    // Assess
    expect(stored).toBeGreaterThan(10_001);
    expect(closed).toBe('closed');
  });

  it('is iterated once', async () => {
    const { fan } = await client();
    const stream = fan.map(tasks.cube, [1]);
    for await (const _ of stream) { /* drain */ }
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/iterated once/);
  });
});

describe('await using', () => {
  it('closes the client (and its embedded runtime) at the end of the scope', async () => {
    let endpoint: string;
    {
      await using fan = await fanout({ tasks: registry, target: 'local', home: await scratchDir('client-using-') });
      endpoint = fan.target.where;
      expect((await fan.mapAll(tasks.cube, [2])).results[0]).toMatchObject({ ok: true, output: 8 });
    }
    await expect(fetch(endpoint)).rejects.toThrow();
  });
});
