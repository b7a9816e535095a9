/** The flags that say where workers run and at what prices, for `estimate`, `report` and `dispatch --max-cost`. */
import { loadPriceFile, PRICES, type LambdaSettings, type PriceTable } from '../report/cost/index.js';
import { DEFAULT_LAMBDA } from '../report/load-report-data.js';

export type CostFlags = { memoryMb?: number; architecture?: 'arm64' | 'x86_64'; region?: string; maxConcurrency?: number; priceFile?: string };

export function lambdaSettings(flags: CostFlags): LambdaSettings {
  return {
    memoryMb: flags.memoryMb ?? DEFAULT_LAMBDA.memoryMb,
    architecture: flags.architecture ?? DEFAULT_LAMBDA.architecture,
    region: flags.region ?? DEFAULT_LAMBDA.region,
    maxConcurrency: flags.maxConcurrency ?? DEFAULT_LAMBDA.maxConcurrency,
  };
}

export async function prices(flags: CostFlags): Promise<PriceTable> {
  return flags.priceFile ? loadPriceFile(flags.priceFile) : PRICES;
}
