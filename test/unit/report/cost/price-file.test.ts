import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPriceFile, loadPriceFile } from '../../../../cli/report/cost/price-file.js';
import { PRICES } from '../../../../cli/report/cost/prices.js';

describe('price table', () => {
  it('defaults: us-east-1, with its sources and the date they were read', () => {
    // Assess
    expect(PRICES.region).toBe('us-east-1');
    expect(PRICES.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.sources.lambda).toMatch(/^https:\/\/aws\.amazon\.com\/lambda\/pricing/);
    expect(PRICES.sqs).toEqual({ requestsPerMillionUsd: 0.4, billingChunkBytes: 65_536 });
  });
});

describe('applyPriceFile', () => {
  it('lays the given values over the table, keeping the rest', () => {
    // Act
    const prices = applyPriceFile({ region: 'eu-west-1', readOn: '2026-12-01', lambda: { arm64: { gbSecondUsd: 0.00002 } } }, 'p.json');
    // Assess
    expect(prices.region).toBe('eu-west-1');
    expect(prices.lambda.arm64).toEqual({ gbSecondUsd: 0.00002, requestsPerMillionUsd: 0.2 });
    expect(prices.lambda.x86_64).toEqual(PRICES.lambda.x86_64);
    expect(prices.sqs).toEqual(PRICES.sqs);
  });

  it('fails if a key is unknown, naming it', () => {
    // Assess
    expect(() => applyPriceFile({ lambda: { arm64: { gbSecond: 1 } } }, 'p.json')).toThrow('price file p.json: lambda.arm64: unknown key "gbSecond" (known: gbSecondUsd, requestsPerMillionUsd)');
  });

  it('fails if a price is negative or not a number, naming the key and the value', () => {
    // Assess
    expect(() => applyPriceFile({ sqs: { requestsPerMillionUsd: -1 } }, 'p.json')).toThrow(/^price file p\.json: sqs\.requestsPerMillionUsd: .*\(given -1\)$/);
    expect(() => applyPriceFile({ lambda: { x86_64: { gbSecondUsd: 'cheap' } } }, 'p.json')).toThrow(/^price file p\.json: lambda\.x86_64\.gbSecondUsd: .*\(given "cheap"\)$/);
    expect(() => applyPriceFile([], 'p.json')).toThrow(/^price file p\.json: \(root\): /);
  });
});

describe('loadPriceFile', () => {
  it('reads a file', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'prices-')), 'prices.json');
    await writeFile(path, JSON.stringify({ sqs: { requestsPerMillionUsd: 0.5 } }));
    // Act
    const prices = await loadPriceFile(path);
    // Assess
    expect(prices.sqs.requestsPerMillionUsd).toBe(0.5);
  });

  it('fails if the file is not JSON, in one line', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'prices-')), 'prices.json');
    await writeFile(path, '{ region: eu-west-1 }');
    // Assess
    await expect(loadPriceFile(path)).rejects.toThrow(/^price file .*prices\.json: not JSON \([^\n]*\)$/);
  });

  it('fails if the file cannot be read', async () => {
    // Assess
    await expect(loadPriceFile('/nonexistent/prices.json')).rejects.toThrow('price file /nonexistent/prices.json: cannot read it (ENOENT)');
  });
});
