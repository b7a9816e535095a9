/**
 * `fanout estimate` as users run it: a sample run here, then cost and the predicted course on
 * Lambda in both of the event source's modes, for people and as JSON.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/output/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';

describe('fanout estimate', () => {
  it('prints both scaling modes with their ramp', async () => {
    // Prepare: 2,000 jobs of 5 ms, one to a message: 200 invocations of 50 ms
    const dir = await scratchDir('estimate-');
    const inputs = join(dir, 'in.jsonl');
    await writeFile(inputs, '5\n'.repeat(2000));
    // Act
    const { code, stdout, stderr } = await runCli(['estimate', '--task', 'sleep', '--inputs', inputs, '--pack', '1', '--sample', '3', '--pollers', '5:50'], { FANOUT_HOME: dir });
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    expect(stdout).toMatch(/^wall time on Lambda, from the event source's documented scaling/m);
    expect(stdout).toMatch(/^ {2}standard mode, maxConcurrency 50 +≈ [\d.]+ s +starts at 5 at once, \+300 a minute up to 50 \(its maxConcurrency\) in 9 s/m);
    expect(stdout).toMatch(/^ {2}provisioned mode, pollers 5-50 +≈ [\d.]+ (ms|s) +starts at 50 at once, \+1,000 a minute up to 500 \(its maximum pollers × 10\)/m);
    expect(stdout).toMatch(/^ {2}concurrent invocations at +start/m);
    expect(stdout).toMatch(/^ {4}standard mode +5\b/m);
    expect(stdout).toMatch(/^ {4}provisioned mode +50\b/m);
  });

  it('gives the predicted concurrency over time of each mode in --json', async () => {
    // Prepare
    const dir = await scratchDir('estimate-');
    // Act
    const { code, stdout, stderr } = await runCli(['estimate', '--task', 'square', '--count', '5000', '--sample', '3', '--json', '--max-concurrency', '100'], { FANOUT_HOME: dir });
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    const estimate = JSON.parse(stdout) as { type: string; scaling: Record<'standard' | 'provisioned', { wallMs: number; capConcurrency: number; ramp: Array<{ atMs: number; concurrency: number }> }> };
    expect(estimate.type).toBe('estimate');
    expect(estimate.scaling.standard).toMatchObject({ capConcurrency: 100 });
    expect(estimate.scaling.provisioned).toMatchObject({ capConcurrency: 1000 });
    for (const mode of [estimate.scaling.standard, estimate.scaling.provisioned]) {
      expect(mode.ramp[0]!.atMs).toBe(0);
      expect(mode.ramp.at(-1)).toEqual({ atMs: mode.wallMs, concurrency: 0 });
    }
  });

  it('fails if --pollers is not MIN:MAX within AWS\'s ranges', async () => {
    // Act
    const { code, stderr } = await runCli(['estimate', '--pollers', '1:10'], { FANOUT_HOME: await scratchDir('estimate-') });
    // Assess
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe('fanout: --pollers must be MIN:MAX event pollers, MIN from 2 to 200, MAX from MIN to 2000 (given "1:10")\n');
  });
});
