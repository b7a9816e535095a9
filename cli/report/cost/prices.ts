/**
 * The prices fanout's cost estimates use: one table, one region.
 *
 * Transcribed by hand on 2026-11-29, without access to the web, from the published on-demand
 * prices for US East (N. Virginia) as the author knew them (the Lambda and SQS pricing pages
 * below): they have been these figures since Lambda's arm64 prices were introduced (2021).
 * They were not fetched and may since have changed: check the sources, and give other prices
 * or another region's with `--price-file` (see price-file.ts).
 *
 * Not counted: the monthly free tiers (1 million Lambda requests and 400,000 GB-seconds,
 * 1 million SQS requests), Lambda's lower tiers past 6 billion GB-seconds a month, CloudWatch
 * Logs ingestion of the worker's logs, and data transfer (free within a region).
 */

export type LambdaPrices = {
  /** USD per GB-second of billed duration (memory in GB × billed seconds). */
  gbSecondUsd: number;
  /** USD per million invocations. */
  requestsPerMillionUsd: number;
};

export type PriceTable = {
  /** The AWS region these prices are for. */
  region: string;
  /** When the prices were read from their sources (ISO date). */
  readOn: string;
  /** Where they were read. */
  sources: { lambda: string; sqs: string };
  lambda: { arm64: LambdaPrices; x86_64: LambdaPrices };
  sqs: {
    /** USD per million requests to a standard queue. */
    requestsPerMillionUsd: number;
    /** Each chunk of this many bytes of a request's payload is billed as one request (64 KB). */
    billingChunkBytes: number;
  };
};

export const PRICES: PriceTable = {
  region: 'us-east-1',
  readOn: '2026-11-29',
  sources: { lambda: 'https://aws.amazon.com/lambda/pricing/', sqs: 'https://aws.amazon.com/sqs/pricing/' },
  lambda: {
    arm64: { gbSecondUsd: 0.0000133334, requestsPerMillionUsd: 0.2 },
    x86_64: { gbSecondUsd: 0.0000166667, requestsPerMillionUsd: 0.2 },
  },
  sqs: { requestsPerMillionUsd: 0.4, billingChunkBytes: 65_536 },
};
