/**
 * The headline numbers. Each figure carries `data-stat` and its exact `data-value`, so a test (or a
 * script) reads the page's numbers without parsing formatted text.
 */
import { formatCount, formatDuration, formatSignificant } from './cost/numbers.js';
import { escapeHtml } from './html.js';
import type { ReportSummary } from './summarize.js';

type Stat = { key: string; label: string; value: number | null; text: string; tone?: 'bad' | 'warn' | 'good'; hint?: string };

export function summarySection(summary: ReportSummary): string {
  const count = (value: number) => formatCount(value);
  const stats: Stat[] = [
    { key: 'jobs', label: 'Jobs', value: summary.jobs, text: count(summary.jobs) },
    { key: 'ok', label: 'OK', value: summary.ok, text: count(summary.ok), tone: 'good' },
    { key: 'failed', label: 'Failed', value: summary.failed, text: count(summary.failed), ...(summary.failed > 0 && { tone: 'bad' }) },
    { key: 'missing', label: 'Missing', value: summary.missing, text: count(summary.missing), ...(summary.missing > 0 && { tone: 'warn' }), hint: 'jobs without a result' },
    { key: 'duplicates', label: 'Duplicates dropped', value: summary.duplicates, text: count(summary.duplicates), hint: 'results received again and not kept' },
    { key: 'conflicts', label: 'Conflicts', value: summary.conflicts, text: count(summary.conflicts), ...(summary.conflicts > 0 && { tone: 'warn' }), hint: 'duplicates that disagreed with the kept result' },
    { key: 'retries', label: 'Retries', value: summary.retries, text: count(summary.retries), hint: 'results from a message delivered more than once (attempt > 1)' },
    {
      key: 'wall-ms',
      label: 'Wall time',
      value: summary.wallMs,
      text: summary.wallMs === null ? '–' : formatDuration(summary.wallMs),
      hint: 'first job start (or run creation) → last result stored',
    },
    {
      key: 'jobs-per-second',
      label: 'Jobs / s',
      value: summary.jobsPerSecond,
      text: summary.jobsPerSecond === null ? '–' : formatSignificant(summary.jobsPerSecond, 3),
      hint: 'results per second of wall time',
    },
    { key: 'peak-concurrency', label: 'Peak concurrency', value: summary.peakConcurrency, text: count(summary.peakConcurrency), hint: 'most jobs running at one instant' },
    { key: 'workers', label: 'Workers', value: summary.workers, text: count(summary.workers) },
    { key: 'cold-starts', label: 'Cold-start jobs', value: summary.coldStarts, text: count(summary.coldStarts), hint: "jobs run in a worker's first invocation" },
  ];
  if (summary.untimed > 0) {
    stats.push({ key: 'untimed', label: 'Untimed', value: summary.untimed, text: count(summary.untimed), tone: 'warn', hint: 'results from workers without timing: not on the timeline' });
  }
  const items = stats.map(
    (stat) =>
      `<div class="stat${stat.tone ? ` ${stat.tone}` : ''}" data-stat="${stat.key}" data-value="${stat.value ?? ''}"${stat.hint ? ` title="${escapeHtml(stat.hint)}"` : ''}><dt>${escapeHtml(stat.label)}</dt><dd>${escapeHtml(stat.text)}</dd></div>`,
  );
  return `<section aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2><dl class="stats">${items.join('')}</dl></section>`;
}
