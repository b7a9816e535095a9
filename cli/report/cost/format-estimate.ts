/**
 * `fanout estimate`'s output: aligned lines for people (stderr), or one JSON object (`--json`).
 */
import type { CostLine } from './cost-line.js';
import type { RunEstimate } from './estimate-run.js';
import { formatScaling } from './format-scaling.js';
import { formatCount, formatDuration, formatSignificant, formatUsd } from './numbers.js';
import { SCALING_SOURCES } from './scaling.js';

export type FormatEstimateOptions = {
  /** Print each line's formula under it. @default false */
  formulas?: boolean;
};

/** The lines printed for people, without trailing newlines. */
export function formatEstimate(estimate: RunEstimate, options: FormatEstimateOptions = {}): string[] {
  const { lambda, prices } = estimate;
  const rows = estimate.lines.map((line) => [line.role, `${line.service} ${line.item}`, quantityText(line), billedText(line), formatUsd(line.usd)]);
  const header = ['role', 'item', 'made', 'billed', 'USD'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  // Text columns left, figures right: the eye compares the figures.
  const align = (row: string[]) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  const out = [
    `estimate for ${formatCount(estimate.jobs)} jobs, ${formatSignificant(estimate.jobsPerMessage)} per message → ${formatCount(estimate.messages)} messages, ${formatCount(estimate.invocations)} invocations`,
    `  on Lambda ${lambda.architecture}, ${lambda.memoryMb} MB, ${lambda.region}; an invocation's jobs take ${formatDuration(estimate.invocationMs)}`,
    `  ${align(header)}`,
  ];
  for (const [index, row] of rows.entries()) {
    out.push(`  ${align(row)}`);
    if (options.formulas) out.push(`      = ${estimate.lines[index]!.formula}`);
  }
  const totalWidth = widths.reduce((sum, width) => sum + width + 2, -2);
  out.push(`  ${'total (estimate)'.padEnd(totalWidth - widths[4]! - 2)}  ${formatUsd(estimate.totalUsd).padStart(widths[4]!)}`);
  out.push(
    ...formatScaling(estimate.scaling),
    `prices: ${prices.region}, transcribed ${prices.readOn} from ${prices.sources.lambda} and ${prices.sources.sqs} (--price-file to change)`,
    `scaling: ${SCALING_SOURCES.standard} (standard mode), ${SCALING_SOURCES.provisioned} (provisioned mode)`,
    ...estimate.notes.map((note) => `note: ${note}`),
  );
  return out;
}

export type EstimateJson = { type: 'estimate' } & RunEstimate;

/** The `--json` object: the estimate as computed, every line with its formula. */
export function estimateJson(estimate: RunEstimate): EstimateJson {
  return { type: 'estimate', ...estimate };
}

function quantityText(line: CostLine): string {
  return line.unit === 'GB-s' ? `${formatSignificant(line.quantity, 4)} GB-s` : `${formatCount(line.quantity)} ${line.unit}`;
}

function billedText(line: CostLine): string {
  return line.billedUnit === 'GB-s' ? `${formatSignificant(line.billed, 4)} GB-s` : `${formatCount(line.billed)} req`;
}
