/**
 * `renderReport`: a run's ReportData → one self-contained HTML file (styles, data and script
 * inline; no request of any kind when opened).
 */
import { estimateRun } from './cost/estimate-run.js';
import { formatCount } from './cost/numbers.js';
import { PRICES, type PriceTable } from './cost/prices.js';
import { runLedger } from './cost/run-ledger.js';
import { durationSection } from './duration-section.js';
import { durationHistogram, durationStats, stragglers } from './durations.js';
import { failureGroups } from './failure-groups.js';
import { failureSection } from './failure-section.js';
import { escapeHtml, formatTime } from './html.js';
import { compactRanges } from './id-ranges.js';
import { ledgerSection } from './ledger-section.js';
import { pageShell } from './page-shell.js';
import type { ReportData } from './report-data.js';
import { summarize } from './summarize.js';
import { summarySection } from './summary-section.js';
import { timelineColumns } from './timeline-columns.js';
import { timelineSection } from './timeline-section.js';

export type RenderReportOptions = {
  /** Prices for the cost ledger. @default - the table in cost/prices.ts */
  prices?: PriceTable;
  /** Slowest jobs listed by name. @default 10 */
  stragglers?: number;
  /** Bins of the duration histogram. @default 40 */
  histogramBins?: number;
  /** When the report was made, shown in its footer. @default - now */
  generatedAt?: Date;
};

export function renderReport(data: ReportData, options: RenderReportOptions = {}): string {
  const prices = options.prices ?? PRICES;
  const { run } = data;
  const summary = summarize(data);
  const timeline = timelineColumns(data);
  const stats = durationStats(data.jobs);
  const ledger = runLedger(data, prices);
  const before = estimateRun({
    jobs: run.jobs,
    jobsPerMessage: run.jobsPerMessage,
    messages: run.messages,
    avgInputBytes: data.payload?.avgInputBytes ?? 0,
    avgOutputBytes: data.payload?.avgOutputBytes ?? 0,
    avgJobMs: stats.mean,
    maxJobMs: stats.max,
    lambda: data.lambda,
    prices,
  });

  const header = `<header><h1>Run <code>${escapeHtml(run.id)}</code> · ${escapeHtml(run.task)}</h1>
<p><span class="state" data-stat="state" data-value="${escapeHtml(run.state)}">${escapeHtml(run.state)}</span>
created ${escapeHtml(formatTime(run.createdAt))}${run.completedAt === null ? '' : ` · completed ${escapeHtml(formatTime(run.completedAt))}`}
· target ${escapeHtml(run.target)} · ${formatCount(run.messages)} messages of ${formatCount(run.jobsPerMessage)} jobs
· Lambda ${data.lambda.architecture}, ${formatCount(data.lambda.memoryMb)} MB, ${escapeHtml(data.lambda.region)}</p></header>`;
  const body = [
    header,
    summarySection(summary),
    timelineSection(timeline.lanes.length, timeline.start.length, summary.untimed, timeline.maxConcurrency),
    durationSection(durationHistogram(data.jobs, { bins: options.histogramBins ?? 40 }), stats, stragglers(data.jobs, options.stragglers ?? 10), timeline.t0),
    failureSection(failureGroups(data.jobs), compactRanges(missingIds(data), { maxRanges: 40 })),
    ledgerSection(ledger, before, prices, summary.wallMs, stats.mean),
    `<footer>fanout run report · generated ${escapeHtml(formatTime((options.generatedAt ?? new Date()).getTime()))} · times are from the workers' clocks (starts) and the collector's (results stored)</footer>`,
  ].join('\n');
  return pageShell({ title: `fanout run ${run.id} (${run.task})`, body, data: { timeline } });
}

/** Job ids 0 … jobs-1 that have no result. */
function missingIds(data: ReportData): number[] {
  const seen = new Uint8Array(data.run.jobs);
  for (const job of data.jobs) if (job.id < seen.length) seen[job.id] = 1;
  const missing: number[] = [];
  for (let id = 0; id < seen.length; id++) if (!seen[id]) missing.push(id);
  return missing;
}
