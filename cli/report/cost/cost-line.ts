/**
 * One line of a cost estimate or ledger: what is billed, how much, at what price, and the
 * arithmetic that got there, so a reader can redo it.
 */
import { formatCount, formatPrice, formatSignificant } from './numbers.js';
import type { PriceTable } from './prices.js';
import type { Requests } from './sqs-requests.js';

/** Who causes the charge: the master's two halves, the workers' SQS traffic, or the function itself. */
export type CostRole = 'dispatch' | 'worker' | 'collect' | 'lambda';

export type CostLine = {
  service: 'SQS' | 'Lambda';
  role: CostRole;
  /** The API operation (SQS), or `requests` / `compute` (Lambda). */
  item: string;
  /** What was made: calls (SQS), invocations, or GB-seconds. */
  quantity: number;
  unit: 'calls' | 'invocations' | 'GB-s';
  /** What is billed: requests after 64 KB chunking (SQS), invocations, or GB-seconds. */
  billed: number;
  billedUnit: 'requests' | 'GB-s';
  /** Price in USD per `pricePer` billed units. */
  priceUsd: number;
  pricePer: number;
  usd: number;
  /** How quantity and cost were worked out, in words and numbers. */
  formula: string;
  /** Counted by fanout itself, or estimated from the run's shape. */
  basis: 'counted' | 'estimated';
};

export function sqsLine(role: CostRole, item: string, requests: Requests, prices: PriceTable, basis: CostLine['basis'], how: string): CostLine {
  const price = prices.sqs.requestsPerMillionUsd;
  const chunks = requests.billed === requests.calls ? '' : `, ${formatCount(requests.billed)} requests billed in 64 KB chunks`;
  return {
    service: 'SQS',
    role,
    item,
    quantity: requests.calls,
    unit: 'calls',
    billed: requests.billed,
    billedUnit: 'requests',
    priceUsd: price,
    pricePer: 1e6,
    usd: (requests.billed / 1e6) * price,
    formula: `${how}${chunks}; × ${formatPrice(price)} per 1M requests`,
    basis,
  };
}

export function lambdaRequestsLine(invocations: number, prices: PriceTable, architecture: 'arm64' | 'x86_64', basis: CostLine['basis'], how: string): CostLine {
  const price = prices.lambda[architecture].requestsPerMillionUsd;
  return {
    service: 'Lambda',
    role: 'lambda',
    item: 'requests',
    quantity: invocations,
    unit: 'invocations',
    billed: invocations,
    billedUnit: 'requests',
    priceUsd: price,
    pricePer: 1e6,
    usd: (invocations / 1e6) * price,
    formula: `${how}; × ${formatPrice(price)} per 1M requests`,
    basis,
  };
}

/** GB-seconds from billed milliseconds: memory in GB × billed seconds. */
export function gbSeconds(billedMs: number, memoryMb: number): number {
  return (memoryMb / 1024) * (billedMs / 1000);
}

export function lambdaComputeLine(billedMs: number, memoryMb: number, prices: PriceTable, architecture: 'arm64' | 'x86_64', basis: CostLine['basis'], how: string): CostLine {
  const price = prices.lambda[architecture].gbSecondUsd;
  const gbs = gbSeconds(billedMs, memoryMb);
  return {
    service: 'Lambda',
    role: 'lambda',
    item: 'compute',
    quantity: gbs,
    unit: 'GB-s',
    billed: gbs,
    billedUnit: 'GB-s',
    priceUsd: price,
    pricePer: 1,
    usd: gbs * price,
    formula: `${how} = ${formatCount(billedMs)} billed ms × ${formatSignificant(memoryMb / 1024, 4)} GB (${memoryMb} MB) = ${formatSignificant(gbs, 4)} GB-s; × ${formatPrice(price)} per GB-s (${architecture})`,
    basis,
  };
}

export function totalUsd(lines: readonly CostLine[]): number {
  return lines.reduce((sum, line) => sum + line.usd, 0);
}
