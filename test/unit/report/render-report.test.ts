import { describe, expect, it } from 'vitest';
import { CLIENT_SCRIPT } from '../../../cli/report/client-script.js';
import { renderReport } from '../../../cli/report/render-report.js';
import { estimateRun } from '../../../cli/report/cost/estimate-run.js';
import { durationStats } from '../../../cli/report/durations.js';
import { reportDataFactory } from '../../helpers/report-data-factory.js';

describe('renderReport', () => {
  const data = reportDataFactory({ jobs: 500, seed: 9 });

  it('makes one self-contained page: nothing it would load from elsewhere', () => {
    // Act
    const html = renderReport(data);
    // Assess
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/\bsrc=|url\(|@import|<link(?![^>]*rel="icon" href="data:,")/);
    expect(html).toContain("default-src 'none'");
    // The only links are the sources of the scaling rates and of the prices, which load nothing unless followed
    expect([...html.matchAll(/href="(https?:[^"]+)"/g)].map((m) => m[1])).toEqual([
      'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
      'https://aws.amazon.com/blogs/aws/aws-lambda-enhances-sqs-processing-with-new-provisioned-mode-3x-faster-scaling-16x-higher-capacity/',
      'https://aws.amazon.com/lambda/pricing/',
      'https://aws.amazon.com/sqs/pricing/',
    ]);
  });

  it('predicts the run on Lambda in both modes from its measured durations, as fanout estimate does', () => {
    // Act
    const html = renderReport(data);
    const stats = durationStats(data.jobs);
    const estimate = estimateRun({ jobs: data.run.jobs, jobsPerMessage: data.run.jobsPerMessage, messages: data.run.messages, avgInputBytes: data.payload?.avgInputBytes ?? 0, avgOutputBytes: data.payload?.avgOutputBytes ?? 0, avgJobMs: stats.mean, maxJobMs: stats.max, lambda: data.lambda });
    // Assess
    expect(html).toContain(`data-stat="predicted-standard-ms" data-value="${estimate.scaling.standard.wallMs}"`);
    expect(html).toContain(`data-stat="predicted-provisioned-ms" data-value="${estimate.scaling.provisioned.wallMs}"`);
    expect(html).toContain('<b>provisioned mode, 2–200 pollers</b>');
  });

  it('gives each summary figure its exact value to read', () => {
    // Act
    const html = renderReport(data);
    // Assess
    expect(html).toContain(`data-stat="failed" data-value="${data.counts.failed}"`);
    expect(html).toContain(`data-stat="missing" data-value="${data.counts.missing}"`);
    expect(html).toContain('<span class="badge">estimate</span>');
  });

  it('keeps text that looks like markup inert, in the tables and in the embedded data', () => {
    // Prepare
    const hostile = structuredClone(data);
    hostile.jobs[0]!.ok = false;
    hostile.jobs[0]!.error = { name: 'Error', message: '</script><script>alert(1)</script><b>' };
    // Act
    const html = renderReport(hostile);
    // Assess
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;');
  });

  it('embeds a script that parses', () => {
    // Assess
    expect(() => new Function(CLIENT_SCRIPT)).not.toThrow();
    expect(CLIENT_SCRIPT).not.toMatch(/fetch\(|XMLHttpRequest|import\(|new Image|sendBeacon/);
  });

  it('renders a run without results', () => {
    // Prepare
    const empty = { ...data, jobs: [], counts: { ok: 0, failed: 0, missing: data.run.jobs, duplicates: 0, conflicts: 0 } };
    // Act
    const html = renderReport(empty);
    // Assess
    expect(html).toContain('No results.');
    expect(html).toContain(`data-stat="wall-ms" data-value=""`);
  });
});
