/**
 * The two time charts' frames: the timeline (one lane per worker) and the concurrency chart
 * below it. They share one time window, drawn and zoomed by the page's script (client-script.ts).
 */
import { formatCount } from './cost/numbers.js';

export function timelineSection(lanes: number, timedJobs: number, untimed: number, maxConcurrency: number | null): string {
  const untimedNote = untimed > 0 ? ` ${formatCount(untimed)} results carry no timing (older workers) and are not shown.` : '';
  return `<section aria-labelledby="h-timeline">
<h2 id="h-timeline">Timeline</h2>
<p class="muted">One lane per worker (${formatCount(lanes)}), one bar per job (${formatCount(timedJobs)}), from its start for its duration. Where a lane has more jobs than pixels, its shading shows how busy the worker was. Drag across a chart to zoom in; double-click or <button type="button" id="zoom-reset" disabled>show all</button>.${untimedNote}</p>
<div class="legend" id="timeline-legend">
<span class="key"><i class="swatch" style="--c:var(--ok)"></i>ok</span>
<span class="key"><i class="swatch" style="--c:var(--failed)"></i>failed</span>
<span class="key"><i class="swatch outline" style="--c:var(--retried)"></i>retried (attempt &gt; 1)</span>
<span class="key"><i class="swatch tick"></i>cold start</span>
<span class="key"><i class="swatch line dashed" style="--c:var(--marker)"></i>run created · last result stored</span>
<span class="muted" id="timeline-window"></span>
</div>
<div class="chart" id="timeline-chart"><canvas id="timeline" role="img" aria-label="Timeline of jobs by worker"></canvas><div class="selection" hidden></div></div>
<h3>Concurrency: jobs running at each instant</h3>
<div class="legend"><span class="key"><i class="swatch" style="--c:var(--conc-fill)"></i>mean in each pixel</span><span class="key"><i class="swatch line" style="--c:var(--ok)"></i>peak in each pixel</span>${maxConcurrency === null ? '' : `<span class="key"><i class="swatch line dashed" style="--c:var(--limit)"></i>event source maximum concurrency (${maxConcurrency})</span>`}</div>
<div class="chart" id="concurrency-chart"><canvas id="concurrency" role="img" aria-label="Jobs running over time"></canvas><div class="selection" hidden></div></div>
<div class="tooltip" id="tooltip" role="status" hidden></div>
</section>`;
}
