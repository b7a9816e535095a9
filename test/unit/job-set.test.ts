import { describe, expect, it } from 'vitest';
import { JobSet } from '../../cli/output/job-set.js';

describe('JobSet', () => {
  it('adds each id once, across growth, and counts distinct ids', () => {
    // Prepare
    const jobs = new JobSet();
    // Act
    const added = [0, 7, 8, 8191, 8192, 100_000, 7, 100_000, 2 ** 27 - 1].map((id) => jobs.add(id));
    // Assess
    expect(added).toEqual([true, true, true, true, true, true, false, false, true]);
    expect(jobs.size).toBe(7);
    expect([0, 1, 7, 8, 9, 8192, 99_999, 100_000, 100_001].map((id) => jobs.has(id))).toEqual([true, false, true, true, false, true, false, true, false]);
  });

  it('keeps an id no dispatch makes (up to 2^53 - 1) without a buffer that large', () => {
    // Prepare
    const jobs = new JobSet();
    // Act
    const first = jobs.add(Number.MAX_SAFE_INTEGER);
    const again = jobs.add(Number.MAX_SAFE_INTEGER);
    // Assess
    expect([first, again, jobs.has(Number.MAX_SAFE_INTEGER), jobs.has(2 ** 40), jobs.size]).toEqual([true, false, true, false, 1]);
  });
});
