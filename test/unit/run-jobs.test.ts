import { describe, expect, it } from 'vitest';
import { runJobs } from '../../functions/run-jobs.js';
import { findTask, taskNames, TASKS } from '../../functions/tasks/index.js';
import { jobs } from '../helpers/factories.js';

describe('tasks', () => {
  it('registers square, burn, sleep and fail', () => {
    expect(taskNames()).toEqual(['square', 'burn', 'sleep', 'fail']);
  });
  it('square squares', () => {
    expect([0, 1, 2, 9].map((i) => TASKS.square!(i))).toEqual([0, 1, 4, 81]);
  });
  it('does not find inherited properties as tasks', () => {
    expect(findTask('constructor')).toBeUndefined();
    expect(findTask('__proto__')).toBeUndefined();
  });
});

describe('runJobs', () => {
  it('returns one result per job, in order', async () => {
    const { results, unfinished } = await runJobs('square', jobs([3, 4]));
    expect(results.map((r) => (r.ok ? r.output : r.error))).toEqual([9, 16]);
    expect(unfinished).toEqual([]);
  });

  it('turns a throwing job into an error result and runs the others', async () => {
    const { results } = await runJobs('square', jobs([2, 'two', 3]));
    expect(results[0]).toMatchObject({ id: 0, ok: true, output: 4 });
    expect(results[1]).toMatchObject({ id: 1, ok: false, error: { name: 'TypeError', message: 'square needs a finite number, got "two"' } });
    expect(results[2]).toMatchObject({ id: 2, ok: true, output: 9 });
  });

  it('gives every job of an unknown task an UnknownTaskError result', async () => {
    const { results } = await runJobs('cube', jobs([1, 2]));
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: { name: 'UnknownTaskError', message: expect.stringMatching(/unknown task "cube" \(known: square, burn/) } });
    }
  });

  it('stops before the next job when told, returning the rest as unfinished', async () => {
    let asked = 0;
    const { results, unfinished } = await runJobs('square', jobs([1, 2, 3, 4]), { shouldStop: () => ++asked > 2 });
    expect(results.map((r) => r.id)).toEqual([0, 1]);
    expect(unfinished.map((j) => j.id)).toEqual([2, 3]);
  });

  it('makes outputs JSON: undefined and NaN become null, objects are copied', async () => {
    const { results } = await runJobs('fail', jobs([{ fail: false, value: { a: [1] } }, { fail: false }]));
    expect(results.map((r) => r.ok && r.output)).toEqual([{ a: [1] }, null]);
  });
});
