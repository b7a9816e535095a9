/**
 * The benchmark as docs/performance.md runs it: its JSON line (the figures an issue quotes) and
 * its refusals. Small runs, no timing asserted: only that every figure is there and plausible.
 */
import { describe, expect, it } from 'vitest';
import { runScript } from '../helpers/cli.js';

const runBench = (args: string[]) => runScript('bench/run.ts', args);

function lastJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('npm run bench', () => {
  it('runs every job once and prints one JSON line with the figures, the report size among them', async () => {
    // Act
    const ran = await runBench(['--jobs', '3000', '--json', '--startup-runs', '0']);
    // Assess
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.trim().split('\n')).toHaveLength(1);
    const line = lastJson(ran.stdout);
    expect(line).toMatchObject({ jobs: 3000, task: 'square', target: 'embedded', complete: true, ok: 3000, failed: 0, duplicates: 0, startup_ms: null });
    for (const key of ['jobs_per_s', 'requests_per_1k_jobs', 'peak_rss_mb', 'per_job_us', 'cpu_s', 'report_mb']) {
      expect(line[key], key).toBeTypeOf('number');
      expect(line[key] as number, key).toBeGreaterThan(0);
    }
    // 3,000 jobs travel packed: a handful of sends, not one per job.
    expect(line.requests_per_1k_jobs as number).toBeLessThan(100);
  });

  it('runs the CLI as separate processes with --mode cli and reports each one’s peak RSS', async () => {
    // Act
    const ran = await runBench(['--jobs', '2000', '--mode', 'cli', '--json', '--startup-runs', '0']);
    // Assess
    expect(ran.code, ran.stderr).toBe(0);
    const line = lastJson(ran.stdout);
    expect(line).toMatchObject({ jobs: 2000, mode: 'cli', complete: true, ok: 2000, duplicates: 0 });
    for (const key of ['peak_rss_dispatch_mb', 'peak_rss_collect_mb', 'peak_rss_local_mb']) expect(line[key] as number, key).toBeGreaterThan(0);
  });

  it('refuses a bad flag in one line, exit 2, before starting anything', async () => {
    // Act
    const ran = await runBench(['--jobs', 'many']);
    // Assess
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe('');
    expect(ran.stderr.trim().split('\n')[0]).toMatch(/--jobs/);
  });
});
