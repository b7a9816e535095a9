import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runJobs } from '../../../functions/run-jobs.js';
import { BUILTIN_TASKS } from '../../../functions/tasks/builtin-tasks.js';
import { defineTask, TaskRegistry } from '../../../functions/tasks/index.js';
import { jobs } from '../../helpers/factories.js';

const options = { run: 'r-1' };

describe('built-in tasks', () => {
  it('are square, burn, sleep and fail', () => {
    expect(BUILTIN_TASKS.names().sort()).toEqual(['burn', 'fail', 'sleep', 'square']);
  });
  it('are not found by inherited names', () => {
    expect(BUILTIN_TASKS.find('constructor')).toBeUndefined();
    expect(BUILTIN_TASKS.find('__proto__')).toBeUndefined();
  });
});

describe('runJobs', () => {
  it('returns one result per job, in order, each with when it started and how long it took', async () => {
    const before = Date.now();
    const { results, unfinished } = await runJobs(BUILTIN_TASKS, 'square', jobs([3, 4]), options);
    expect(results.map((r) => (r.ok ? r.output : r.error))).toEqual([9, 16]);
    expect(results.every((r) => r.started! >= before && r.ms >= 0)).toBe(true);
    expect(unfinished).toEqual([]);
  });

  it('turns a throwing job into an error result and runs the others', async () => {
    const { results } = await runJobs(BUILTIN_TASKS, 'square', jobs([2, 'two', 3]), options);
    expect(results[0]).toMatchObject({ id: 0, ok: true, output: 4 });
    expect(results[1]).toMatchObject({ id: 1, ok: false, error: { name: 'TypeError', message: 'square needs a finite number, got "two"' } });
    expect(results[2]).toMatchObject({ id: 2, ok: true, output: 9 });
  });

  it('gives every job of an unknown task an UnknownTaskError result', async () => {
    const { results } = await runJobs(BUILTIN_TASKS, 'cube', jobs([1, 2]), options);
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { name: 'UnknownTaskError', message: expect.stringMatching(/unknown task "cube" \(known: /) } });
    }
  });

  it('stops before the next job when told, returning the rest as unfinished', async () => {
    let asked = 0;
    const { results, unfinished } = await runJobs(BUILTIN_TASKS, 'square', jobs([1, 2, 3, 4]), { ...options, shouldStop: () => ++asked > 2 });
    expect(results.map((r) => r.id)).toEqual([0, 1]);
    expect(unfinished.map((j) => j.id)).toEqual([2, 3]);
  });

  it('gives a job whose output JSON cannot carry exactly an OutputError result, and its neighbours theirs', async () => {
    // Prepare: each odd value among good ones.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const odd = [undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, 10n, () => 1, cyclic, new Map(), { a: undefined }];
    const echo = new TaskRegistry({ echo: defineTask({ name: 'echo', run: (i: unknown) => (typeof i === 'number' && i >= 100 ? odd[i - 100] : i) }) });
    const inputs = [1, ...odd.map((_, i) => 100 + i), 2];
    // Act
    const { results } = await runJobs(echo, 'echo', jobs(inputs), options);
    // Assess
    expect(results.map((r) => r.ok)).toEqual([true, ...odd.map(() => false), true]);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.error.name === 'OutputError' && /JSON/.test(r.error.message))).toBe(true);
    expect(results[0]).toMatchObject({ ok: true, output: 1 });
    expect(results.at(-1)).toMatchObject({ ok: true, output: 2 });
  });

  it('gives a job whose throw is not an Error a result that says what was thrown', async () => {
    const throws = [null, 'plain', Object.create(null), { name: 1, message: 2 }, 42];
    const thrower = new TaskRegistry({ t: defineTask({ name: 't', run: (i: unknown) => { throw throws[i as number]; } }) });
    const { results } = await runJobs(thrower, 't', jobs([0, 1, 2, 3, 4]), options);
    expect(results.map((r) => !r.ok && r.error.name)).toEqual(['NonErrorThrown', 'NonErrorThrown', 'NonErrorThrown', 'NonErrorThrown', 'NonErrorThrown']);
  });

  it('checks inputs and outputs against the task\'s schemas', async () => {
    // Prepare
    const registry = new TaskRegistry({
      half: defineTask({ name: 'half', input: z.object({ n: z.int() }), output: z.int(), run: ({ n }) => n / 2 }),
    });
    // Act
    const { results } = await runJobs(registry, 'half', jobs([{ n: 4 }, { n: 'x' }, { n: 3 }]), options);
    // Assess
    expect(results[0]).toMatchObject({ ok: true, output: 2 });
    expect(results[1]).toMatchObject({ ok: false, error: { name: 'InputError', message: expect.stringMatching(/^the input at n does not match the task's schema/) } });
    expect(results[2]).toMatchObject({ ok: false, error: { name: 'OutputError', message: expect.stringMatching(/^the output does not match the task's schema/) } });
  });

  it('gives the task its context: job id, run, attempt, remaining time', async () => {
    const seen: unknown[] = [];
    const registry = new TaskRegistry({ c: defineTask({ name: 'c', run: (_: unknown, ctx) => seen.push({ ...ctx, remaining: ctx.remainingTimeMs() }) }) });
    await runJobs(registry, 'c', jobs([0], 7), { run: 'r-9', attempt: 3, remainingTimeMs: () => 1234 });
    expect(seen).toEqual([expect.objectContaining({ jobId: 7, run: 'r-9', attempt: 3, remaining: 1234 })]);
  });
});
