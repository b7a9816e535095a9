/**
 * `--price-file FILE`: other prices (another region, a new price) as JSON, laid over the table in
 * prices.ts. Any part may be left out; an unknown key or a bad value is refused with one line
 * naming the file, the key and the value, since a typo would otherwise silently keep a default.
 *
 * @example
 * { "region": "eu-west-1", "readOn": "2026-12-01", "lambda": { "arm64": { "gbSecondUsd": 0.0000133334 } } }
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../../../functions/wire/errors.js';
import { PRICES, type PriceTable } from './prices.js';

const usd = z.number().nonnegative().finite();
const lambdaPrices = z.strictObject({ gbSecondUsd: usd.optional(), requestsPerMillionUsd: usd.optional() });

const PriceFileSchema = z.strictObject({
  region: z.string().min(1).optional(),
  readOn: z.string().min(1).optional(),
  sources: z.strictObject({ lambda: z.string().optional(), sqs: z.string().optional() }).optional(),
  lambda: z.strictObject({ arm64: lambdaPrices.optional(), x86_64: lambdaPrices.optional() }).optional(),
  sqs: z.strictObject({ requestsPerMillionUsd: usd.optional(), billingChunkBytes: z.number().int().positive().optional() }).optional(),
});

export type PriceFile = z.infer<typeof PriceFileSchema>;

/**
 * Checks a parsed price file and lays it over `base`.
 * @param where names the file in the error message
 * @throws UsageError with one line naming the key and the value given
 */
export function applyPriceFile(json: unknown, where: string, base: PriceTable = PRICES): PriceTable {
  const parsed = PriceFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const at = issue.path.join('.') || '(root)';
    const lookup = (root: unknown) => issue.path.reduce<unknown>((value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key], root);
    if (issue.code === 'unrecognized_keys') {
      const known = Object.keys((lookup(base) as object | undefined) ?? {}).join(', ');
      throw new UsageError(`price file ${where}: ${at}: unknown key ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (known: ${known})`);
    }
    throw new UsageError(`price file ${where}: ${at}: ${issue.message} (given ${JSON.stringify(lookup(json)) ?? 'nothing'})`);
  }
  const file = parsed.data;
  return {
    region: file.region ?? base.region,
    readOn: file.readOn ?? base.readOn,
    sources: { ...base.sources, ...file.sources },
    lambda: {
      arm64: { ...base.lambda.arm64, ...file.lambda?.arm64 },
      x86_64: { ...base.lambda.x86_64, ...file.lambda?.x86_64 },
    },
    sqs: { ...base.sqs, ...file.sqs },
  };
}

/** Reads `--price-file`: the table from prices.ts with the file's values laid over it. */
export async function loadPriceFile(path: string, base: PriceTable = PRICES): Promise<PriceTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`price file ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`price file ${path}: not JSON (${(error as Error).message})`);
  }
  return applyPriceFile(json, path, base);
}
