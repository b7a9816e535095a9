/**
 * The duration histogram as hand-written SVG: 40 bins are a few dozen shapes, drawn by the
 * browser without any script, and sharp at any zoom. Failed jobs are stacked on the ok ones;
 * p50, p95 and p99 are marked with lines.
 */
import { formatCount, formatDuration } from './cost/numbers.js';
import type { DurationStats, Histogram } from './durations.js';
import { escapeHtml } from './html.js';
import { niceTicks } from './nice-ticks.js';

export const PERCENTILE_COLOURS = { p50: '#009E73', p95: '#B8860B', p99: '#CC79A7' } as const;

const WIDTH = 960;
const HEIGHT = 250;
const MARGIN = { left: 56, right: 16, top: 34, bottom: 40 };

export function histogramSvg(histogram: Histogram, stats: DurationStats): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const bins = histogram.ok.length;
  const { edges, scale } = histogram;
  const low = scale === 'log' ? Math.log10(edges[0]!) : edges[0]!;
  const high = scale === 'log' ? Math.log10(edges.at(-1)!) : edges.at(-1)!;
  const xOf = (ms: number) => {
    const v = scale === 'log' ? Math.log10(Math.max(ms, edges[0]!)) : ms;
    return MARGIN.left + ((v - low) / (high - low || 1)) * plotW;
  };
  const tallest = Math.max(1, ...histogram.ok.map((ok, i) => ok + histogram.failed[i]!));
  const yTicks = niceTicks(0, tallest, 4);
  const top = Math.max(tallest, yTicks.at(-1)!);
  const yOf = (count: number) => MARGIN.top + plotH - (count / top) * plotH;
  const barW = plotW / bins;
  const parts: string[] = [];

  for (const tick of yTicks) {
    const y = yOf(tick).toFixed(1);
    parts.push(`<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="tick" x="${MARGIN.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatCount(tick)}</text>`);
  }
  for (let i = 0; i < bins; i++) {
    const ok = histogram.ok[i]!;
    const failed = histogram.failed[i]!;
    if (ok + failed === 0) continue;
    const x = (MARGIN.left + i * barW + 0.5).toFixed(1);
    const w = Math.max(1, barW - 1).toFixed(1);
    const label = `${formatDuration(edges[i]!)} – ${formatDuration(edges[i + 1]!)}: ${formatCount(ok)} ok, ${formatCount(failed)} failed`;
    parts.push(`<g><title>${escapeHtml(label)}</title>`);
    if (ok > 0) parts.push(`<rect class="ok" x="${x}" y="${yOf(ok).toFixed(1)}" width="${w}" height="${(yOf(0) - yOf(ok)).toFixed(1)}"/>`);
    if (failed > 0) parts.push(`<rect class="failed" x="${x}" y="${yOf(ok + failed).toFixed(1)}" width="${w}" height="${(yOf(ok) - yOf(ok + failed)).toFixed(1)}"/>`);
    parts.push('</g>');
  }
  const baseline = yOf(0).toFixed(1);
  parts.push(`<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${baseline}" y2="${baseline}"/>`);
  for (const tick of xTicks(histogram)) {
    const x = xOf(tick).toFixed(1);
    parts.push(`<line class="axis" x1="${x}" x2="${x}" y1="${baseline}" y2="${(yOf(0) + 5).toFixed(1)}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${(yOf(0) + 18).toFixed(1)}" text-anchor="middle">${escapeHtml(formatDuration(tick))}</text>`);
  }
  parts.push(`<text class="axis-title" x="${WIDTH - MARGIN.right}" y="${HEIGHT - 4}" text-anchor="end">job duration${scale === 'log' ? ' (log scale)' : ''}</text>`);
  parts.push(`<text class="axis-title" x="${MARGIN.left - 6}" y="${MARGIN.top - 22}" text-anchor="end">jobs</text>`);

  // Percentile labels sit in rows above the plot, each in the first row where it does not overlap.
  const rows: number[] = [];
  for (const key of ['p50', 'p95', 'p99'] as const) {
    const x = xOf(stats[key]);
    let row = rows.findIndex((end) => x > end + 4);
    if (row < 0) row = rows.length;
    rows[row] = x + 34;
    const colour = PERCENTILE_COLOURS[key];
    parts.push(`<line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${MARGIN.top - 4 - row * 12}" y2="${baseline}" stroke="${colour}" stroke-width="2" stroke-dasharray="4 3"/>`);
    // style=, not fill=: the stylesheet's text colour would override a presentation attribute.
    parts.push(`<text class="pct" x="${(x + 3).toFixed(1)}" y="${MARGIN.top - 6 - row * 12}" style="fill:${colour}">${key}</text>`);
  }
  const summary = `Histogram of ${formatCount(stats.count)} job durations; p50 ${formatDuration(stats.p50)}, p95 ${formatDuration(stats.p95)}, p99 ${formatDuration(stats.p99)}.`;
  return `<svg class="histogram" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(summary)}">${parts.join('')}</svg>`;
}

/** Decades on a log axis (with 2× and 5× when few), round values on a linear one. */
function xTicks(histogram: Histogram): number[] {
  const first = histogram.edges[0]!;
  const last = histogram.edges.at(-1)!;
  if (histogram.scale === 'linear') return niceTicks(first, last, 8);
  const ticks: number[] = [];
  const decades = Math.log10(last / first);
  for (let power = Math.floor(Math.log10(first)); 10 ** power <= last; power++) {
    for (const factor of decades < 3 ? [1, 2, 5] : [1]) {
      const value = factor * 10 ** power;
      if (value >= first && value <= last) ticks.push(Number(value.toPrecision(6)));
    }
  }
  return ticks;
}
