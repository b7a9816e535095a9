/**
 * The scaling simulator against the figures AWS documents (cli/report/cost/scaling.ts cites each):
 * standard mode 5 concurrent at first, +300 a minute; provisioned mode 10 per poller, +1,000 a
 * minute; both capped by their setting and by the account's concurrency.
 */
import { describe, expect, it } from 'vitest';
import { concurrencyAt } from '../../../../cli/report/cost/format-scaling.js';
import { predictScaling, reserveMs, SCALING, type ScalingInput } from '../../../../cli/report/cost/scaling.js';

const MINUTE = 60_000;
/** Far more work than any limit can start: the ramp shows the limit itself. */
const busy = (mode: ScalingInput['mode'], more: Partial<ScalingInput> = {}): ScalingInput => ({ mode, invocations: 100_000, invocationMs: 50_000, timeoutMs: 60_000, accountConcurrency: 100_000, rampPoints: Infinity, ...more });

describe('predictScaling', () => {
  it('standard mode: 5 at once, then 300 more a minute, up to maxConcurrency', () => {
    // Act
    const p = predictScaling(busy({ kind: 'standard', maxConcurrency: 1000 }));
    // Assess
    expect(SCALING.standard).toMatchObject({ initialConcurrency: 5, addedPerMinute: 300 });
    expect(concurrencyAt(p.ramp, 0)).toBe(5);
    expect(concurrencyAt(p.ramp, MINUTE)).toBe(305);
    expect(concurrencyAt(p.ramp, 2 * MINUTE)).toBe(605);
    expect(concurrencyAt(p.ramp, 10 * MINUTE)).toBe(1000);
    expect(p).toMatchObject({ startConcurrency: 5, addedPerMinute: 300, capConcurrency: 1000, capBy: 'maxConcurrency', capReachedAtMs: 199_000, peakConcurrency: 1000 });
  });

  it('provisioned mode: 10 per minimum poller at once, then 1,000 more a minute, up to 10 per maximum poller', () => {
    // Act
    const p = predictScaling(busy({ kind: 'provisioned', minimumPollers: 2, maximumPollers: 200 }));
    // Assess
    expect(SCALING.provisioned).toMatchObject({ concurrencyPerPoller: 10, addedPerMinute: 1000 });
    expect(concurrencyAt(p.ramp, 0)).toBe(20);
    expect(concurrencyAt(p.ramp, MINUTE)).toBe(1020);
    expect(concurrencyAt(p.ramp, 5 * MINUTE)).toBe(2000);
    expect(p).toMatchObject({ startConcurrency: 20, capConcurrency: 2000, capBy: 'pollers', capReachedAtMs: 118_800 });
  });

  it("stops at the account's concurrency, 1,000 by default, and at the reserved concurrency", () => {
    // Act
    const account = predictScaling(busy({ kind: 'provisioned', minimumPollers: 2, maximumPollers: 2000 }, { accountConcurrency: undefined }));
    const reserved = predictScaling(busy({ kind: 'standard', maxConcurrency: 1000 }, { reservedConcurrency: 100 }));
    // Assess
    expect(account).toMatchObject({ capConcurrency: 1000, capBy: 'account', peakConcurrency: 1000 });
    expect(reserved).toMatchObject({ capConcurrency: 100, capBy: 'reserved concurrency', peakConcurrency: 100 });
  });

  it('at a constant limit, runs in waves: ⌈invocations ÷ limit⌉ × one invocation', () => {
    // Act: 20 minimum pollers × 10 = 200 at once from the start, the cap too
    const p = predictScaling({ mode: { kind: 'provisioned', minimumPollers: 20, maximumPollers: 20 }, invocations: 1000, invocationMs: 4000, timeoutMs: 60_000 });
    // Assess
    expect(p.wallMs).toBe(5 * 4000);
    expect(p.invocations).toBe(1000);
    expect(p.ramp.at(-1)).toEqual({ atMs: 20_000, concurrency: 0 });
  });

  it('a ramp costs time against the same work at the cap: standard mode, 1,000 at once reached after 199 s', () => {
    // Act: 10,000 invocations of 10 s, 100,000 invocation-seconds of work
    const ramped = predictScaling({ mode: { kind: 'standard', maxConcurrency: 1000 }, invocations: 10_000, invocationMs: 10_000, timeoutMs: 60_000 });
    const flat = predictScaling({ mode: { kind: 'provisioned', minimumPollers: 100, maximumPollers: 100 }, invocations: 10_000, invocationMs: 10_000, timeoutMs: 60_000 });
    // Assess: at 1,000 from the start, 10 waves of 10 s; the ramp from 5 to 1,000 runs ~502 at once on
    // average for 199 s (~100,000 invocation-seconds): the whole run, give or take the last wave.
    expect(flat.wallMs).toBe(100_000);
    expect(ramped.wallMs).toBeGreaterThan(190_000);
    expect(ramped.wallMs).toBeLessThan(215_000);
  });

  it('splits an invocation longer than the timeout less its reserve into a chain, run link after link', () => {
    // Act: 120 s of jobs, 60 s timeout: 9 s reserve, 51 s links → 3 links
    const p = predictScaling({ mode: { kind: 'standard', maxConcurrency: 50 }, invocations: 5, invocationMs: 120_000, timeoutMs: 60_000 });
    // Assess
    expect(reserveMs(60_000)).toBe(9000);
    expect(p.chainLength).toBe(3);
    expect(p.invocations).toBe(15);
    expect(p.wallMs).toBe(120_000);
  });
});
