import { describe, expect, it } from 'vitest';
import { estimateRun } from '../../../../cli/report/cost/estimate-run.js';
import { estimateJson, formatEstimate } from '../../../../cli/report/cost/format-estimate.js';

const estimate = estimateRun({
  jobs: 10_000,
  jobsPerMessage: 10,
  avgInputBytes: 10,
  avgOutputBytes: 20,
  avgJobMs: 50,
  lambda: { memoryMb: 1769, architecture: 'arm64', region: 'us-east-1', maxConcurrency: 50 },
});

describe('formatEstimate', () => {
  it('prints the run, one aligned line per charge, the total and the wall time', () => {
    // Act
    const lines = formatEstimate(estimate);
    // Assess
    expect(lines[0]).toBe('estimate for 10,000 jobs, 10 per message → 1,000 messages, 100 invocations');
    expect(lines).toContain('  dispatch  SQS SendMessageBatch          100 calls     100 req  $0.00004');
    expect(lines).toContain('  lambda    Lambda compute               863.8 GB-s  863.8 GB-s   $0.0115');
    expect(lines.find((line) => line.includes('total (estimate)'))).toMatch(/\$0\.0118$/);
    expect(lines).toContain('  on Lambda arm64, 1769 MB, us-east-1; an invocation\'s jobs take 5 s');
    const wall = lines.indexOf('wall time on Lambda, from the event source\'s documented scaling (`fanout estimate --json` has the whole ramp):');
    expect(lines.slice(wall + 1, wall + 6)).toEqual([
      '  standard mode, maxConcurrency 50  ≈ 16.6 s        starts at 5 at once, +300 a minute up to 50 (its maxConcurrency) in 9 s',
      "  provisioned mode, pollers 2-200   ≈ 9.8 s         starts at 20 at once, +1,000 a minute up to 1,000 (the account's concurrency) in 58.8 s; the run's 100 invocations keep 100 busy",
      '  concurrent invocations at  start  10 s',
      '    standard mode                5    50',
      '    provisioned mode            20  done',
    ]);
    expect(lines.some((line) => line.startsWith('prices: us-east-1, transcribed '))).toBe(true);
    // Every charge line ends in the same column
    const charges = lines.filter((line) => /^\s{2}(dispatch|worker|collect|lambda)\s/.test(line));
    expect(charges).toHaveLength(8);
    expect(new Set(charges.map((line) => line.length)).size).toBe(1);
  });

  it('prints each formula under its line when asked', () => {
    // Act
    const lines = formatEstimate(estimate, { formulas: true });
    // Assess
    expect(lines.filter((line) => line.startsWith('      = '))).toHaveLength(8);
  });
});

describe('estimateJson', () => {
  it('is the estimate with a type, every line carrying its formula', () => {
    // Act
    const json = JSON.parse(JSON.stringify(estimateJson(estimate))) as ReturnType<typeof estimateJson>;
    // Assess
    expect(json.type).toBe('estimate');
    expect(json.totalUsd).toBeCloseTo(estimate.totalUsd, 15);
    expect(json.lines.map((line) => line.formula.length > 0)).toEqual(new Array(8).fill(true));
    // The predicted concurrency over time, both modes: a step function from the start to the end.
    for (const mode of [json.scaling.standard, json.scaling.provisioned]) {
      expect(mode.ramp[0]).toMatchObject({ atMs: 0 });
      expect(mode.ramp.at(-1)).toEqual({ atMs: mode.wallMs, concurrency: 0 });
    }
    expect(json.scaling.standard.ramp.slice(0, 3)).toEqual([{ atMs: 0, concurrency: 5 }, { atMs: 200, concurrency: 6 }, { atMs: 400, concurrency: 7 }]);
  });
});
