/**
 * The cost ledger: every charge with its quantity, price and formula, marked as an estimate, and
 * beside it what `fanout estimate` predicts for a run of this shape (before vs after).
 */
import type { CostLine } from './cost/cost-line.js';
import type { RunEstimate } from './cost/estimate-run.js';
import { formatCount, formatDuration, formatPrice, formatSignificant, formatUsd } from './cost/numbers.js';
import type { PriceTable } from './cost/prices.js';
import { SCALING_SOURCES, type ScalingPrediction } from './cost/scaling.js';
import type { RunLedger } from './cost/run-ledger.js';
import { escapeHtml } from './html.js';

export function ledgerSection(ledger: RunLedger, before: RunEstimate, prices: PriceTable, wallMs: number | null, meanJobMs: number): string {
  const rows = ledger.lines.map(lineRow).join('');
  const { lambda } = ledger;
  const arch = prices.lambda[lambda.architecture];
  const sources = `<a href="${escapeHtml(prices.sources.lambda)}">${escapeHtml(prices.sources.lambda)}</a> and <a href="${escapeHtml(prices.sources.sqs)}">${escapeHtml(prices.sources.sqs)}</a>`;
  return `<section aria-labelledby="h-cost">
<h2 id="h-cost">Cost <span class="badge">estimate</span></h2>
<div class="compare">
<div class="figure" data-stat="cost-before" data-value="${before.totalUsd}"><span>before: <code>fanout estimate</code> for this shape</span><b>${escapeHtml(formatUsd(before.totalUsd))}</b><small>wall ≈ ${escapeHtml(formatDuration(before.wall.ms))} in standard mode (maxConcurrency ${lambda.maxConcurrency})</small></div>
<div class="figure" data-stat="cost-after" data-value="${ledger.totalUsd}"><span>after: this run's ledger</span><b>${escapeHtml(formatUsd(ledger.totalUsd))}</b><small>wall ${wallMs === null ? '–' : escapeHtml(formatDuration(wallMs))} measured</small></div>
</div>
<div class="table-wrap"><table class="ledger"><thead><tr><th>role</th><th>charge and how it was worked out</th><th class="num">made</th><th class="num">billed</th><th class="num">price</th><th class="num">USD</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot><tr><td></td><td>Total <span class="muted">(estimate)</span></td><td></td><td></td><td></td><td class="num">${escapeHtml(formatUsd(ledger.totalUsd))}</td></tr></tfoot></table></div>
<p class="formula-note"><strong>Formula.</strong> SQS: requests × ${escapeHtml(formatPrice(prices.sqs.requestsPerMillionUsd))} per million, where a call is billed one request per ${formatCount(prices.sqs.billingChunkBytes / 1024)} KB of its payload (at least one).
Lambda: invocations × ${escapeHtml(formatPrice(arch.requestsPerMillionUsd))} per million + GB-seconds × ${escapeHtml(formatPrice(arch.gbSecondUsd))} (${lambda.architecture}), GB-seconds = ${lambda.memoryMb} MB ÷ 1024 × billed seconds, each invocation's duration rounded up to 1 ms.
The "before" figure is <code>estimateRun</code> on ${formatCount(before.jobs)} jobs, ${formatSignificant(before.jobsPerMessage)} per message, with this run's mean job time (${escapeHtml(formatDuration(meanJobMs))}).</p>
${scalingParagraph(before)}
<p class="muted">Prices for ${escapeHtml(prices.region)}, transcribed ${escapeHtml(prices.readOn)} from ${sources}; change them with <code>--price-file</code>.</p>
<ul class="notes">${ledger.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>
</section>`;
}

/**
 * What Lambda would make of this run's measured durations, in both of the event source's modes:
 * `fanout estimate`'s prediction (cost/scaling.ts), so a local run tells what it would take on AWS.
 */
function scalingParagraph(before: RunEstimate): string {
  const { standard, provisioned } = before.scaling;
  const ramp = (p: ScalingPrediction) =>
    `${formatCount(p.startConcurrency)} at once at first, +${formatCount(p.addedPerMinute)} a minute up to ${formatCount(p.capConcurrency)}; ${formatCount(p.invocations)} invocations peak at ${formatCount(p.peakConcurrency)}`;
  const mode = (name: string, key: string, p: ScalingPrediction) =>
    `<li data-stat="${key}" data-value="${p.wallMs}"><b>${name}</b>: ≈ ${escapeHtml(formatDuration(p.wallMs))} (${escapeHtml(ramp(p))})</li>`;
  const pollers = provisioned.mode.kind === 'provisioned' ? `${provisioned.mode.minimumPollers}–${provisioned.mode.maximumPollers} pollers` : '';
  return `<p><strong>On Lambda.</strong> This run's jobs, at their measured mean, from the event source's documented scaling rates (<a href="${escapeHtml(SCALING_SOURCES.standard)}">standard</a>, <a href="${escapeHtml(SCALING_SOURCES.provisioned)}">provisioned</a>):</p>
<ul class="notes">${mode('standard mode', 'predicted-standard-ms', standard)}${mode(`provisioned mode, ${pollers}`, 'predicted-provisioned-ms', provisioned)}</ul>`;
}

function lineRow(line: CostLine): string {
  const made = line.unit === 'GB-s' ? `${formatSignificant(line.quantity, 4)} GB-s` : `${formatCount(line.quantity)} ${line.unit}`;
  const billed = line.billedUnit === 'GB-s' ? `${formatSignificant(line.billed, 4)} GB-s` : `${formatCount(line.billed)} req`;
  const price = line.pricePer === 1 ? `${formatPrice(line.priceUsd)}/GB-s` : `${formatPrice(line.priceUsd)}/1M`;
  return (
    `<tr><td><span class="role ${line.role}">${line.role}</span></td>` +
    `<td><b>${line.service} ${escapeHtml(line.item)}</b> <span class="basis ${line.basis}">${line.basis}</span><div class="formula">${escapeHtml(line.formula)}</div></td>` +
    `<td class="num">${escapeHtml(made)}</td><td class="num">${escapeHtml(billed)}</td><td class="num">${escapeHtml(price)}</td><td class="num">${escapeHtml(formatUsd(line.usd))}</td></tr>`
  );
}
