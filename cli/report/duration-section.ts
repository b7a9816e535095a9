/** Job durations: the histogram with its percentiles, and the slowest jobs by name. */
import { formatDuration, formatSignificant } from './cost/numbers.js';
import type { DurationStats, Histogram, Straggler } from './durations.js';
import { escapeHtml } from './html.js';
import { histogramSvg, PERCENTILE_COLOURS } from './histogram-svg.js';

export function durationSection(histogram: Histogram, stats: DurationStats, slowest: readonly Straggler[], t0: number): string {
  if (stats.count === 0) return `<section aria-labelledby="h-durations"><h2 id="h-durations">Job durations</h2><p class="empty">No results.</p></section>`;
  const percentiles = (['p50', 'p95', 'p99'] as const)
    .map((key) => `<span class="key" data-stat="${key}" data-value="${stats[key]}"><i class="swatch line" style="--c:${PERCENTILE_COLOURS[key]}"></i>${key} <b>${escapeHtml(formatDuration(stats[key]))}</b></span>`)
    .join('');
  const rows = slowest
    .map(
      (job) =>
        `<tr${job.ok ? '' : ' class="failed-row"'}><td class="num">${job.id}</td><td class="num">${escapeHtml(formatDuration(job.ms))}</td><td class="num">${stats.p50 > 0 ? `${formatSignificant(job.ms / stats.p50, 2)}×` : '–'}</td>` +
        `<td class="num">${job.startedAt === null ? '–' : `+${escapeHtml(formatDuration(job.startedAt - t0))}`}</td>` +
        `<td><code title="${escapeHtml(job.worker ?? '')}">${escapeHtml(job.worker ?? '(unknown)')}</code></td><td>${job.ok ? 'ok' : '<span class="bad">failed</span>'}</td></tr>`,
    )
    .join('');
  return `<section aria-labelledby="h-durations">
<h2 id="h-durations">Job durations</h2>
<div class="legend">${percentiles}<span class="key"><i class="swatch" style="--c:var(--ok)"></i>ok</span><span class="key"><i class="swatch" style="--c:var(--failed)"></i>failed</span>
<span class="muted">min ${escapeHtml(formatDuration(stats.min))} · mean ${escapeHtml(formatDuration(stats.mean))} · max ${escapeHtml(formatDuration(stats.max))}</span></div>
${histogramSvg(histogram, stats)}
<h3>Stragglers: the ${slowest.length} slowest jobs</h3>
<div class="table-wrap"><table class="stragglers"><thead><tr><th class="num">job</th><th class="num">duration</th><th class="num">× p50</th><th class="num">started</th><th>worker</th><th>result</th></tr></thead><tbody>${rows}</tbody></table></div>
</section>`;
}
