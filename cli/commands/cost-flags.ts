/** The flags that say where workers run and at what prices, for `estimate`, `report` and `dispatch --max-cost`. */
import { loadPriceFile, PRICES, type LambdaSettings, type PriceTable } from '../report/cost/index.js';
import { DEFAULT_LAMBDA } from '../report/load-report-data.js';

export type CostFlags = {
  memoryMb?: number;
  architecture?: 'arm64' | 'x86_64';
  region?: string;
  maxConcurrency?: number;
  pollers?: { minimum: number; maximum: number };
  workerTimeout?: number;
  reservedConcurrency?: number;
  accountConcurrency?: number;
  priceFile?: string;
};

export function lambdaSettings(flags: CostFlags): LambdaSettings {
  return {
    memoryMb: flags.memoryMb ?? DEFAULT_LAMBDA.memoryMb,
    architecture: flags.architecture ?? DEFAULT_LAMBDA.architecture,
    region: flags.region ?? DEFAULT_LAMBDA.region,
    maxConcurrency: flags.maxConcurrency ?? DEFAULT_LAMBDA.maxConcurrency,
    ...(flags.pollers && { pollers: flags.pollers }),
    ...(flags.workerTimeout !== undefined && { timeoutSeconds: flags.workerTimeout }),
    ...(flags.reservedConcurrency !== undefined && { reservedConcurrency: flags.reservedConcurrency }),
    ...(flags.accountConcurrency !== undefined && { accountConcurrency: flags.accountConcurrency }),
  };
}

export async function prices(flags: CostFlags): Promise<PriceTable> {
  return flags.priceFile ? loadPriceFile(flags.priceFile) : PRICES;
}
