import { describe, expect, it } from 'vitest';
import { autoJobsPerMessage, localJobsPerMessage } from '../../cli/master/dispatch/pack-size.js';
import { parseEndpoint } from '../../cli/endpoint/resolve-target.js';
import { createSqsClient } from '../../cli/endpoint/clients.js';
import { endpointConnection, regionInUrl } from '../../cli/endpoint/connection.js';
import { integerFlag, secondsFlag } from '../../cli/commands/validation.js';
import { idRanges } from '../../cli/output/summary.js';

describe('pack size', () => {
  it('keeps small runs at one job per message', () => {
    expect(autoJobsPerMessage(10)).toBe(1);
    expect(autoJobsPerMessage(1000)).toBe(1);
  });
  it('packs large runs', () => {
    expect(autoJobsPerMessage(100_000)).toBe(100);
  });
  it('packs a local run into 250 messages up to 25,000 jobs, 100 above, at most 1,000 jobs each', () => {
    expect(localJobsPerMessage(10)).toBe(1);
    expect(localJobsPerMessage(2000)).toBe(8);
    expect(localJobsPerMessage(25_000)).toBe(100);
    expect(localJobsPerMessage(100_000)).toBe(1000);
    expect(localJobsPerMessage(10_000_000)).toBe(1000);
  });
});

describe('flag validation', () => {
  it('fails if a count is not a whole number in range, naming flag and value', () => {
    expect(() => integerFlag('--count', 1)('ten')).toThrow('--count must be a whole number at least 1 (given "ten")');
    expect(() => integerFlag('--count', 1)('0')).toThrow('(given "0")');
    expect(() => integerFlag('--port', 0, 65535)('70000')).toThrow('--port must be a whole number from 0 to 65535 (given "70000")');
    expect(integerFlag('--count', 1)('12')).toBe(12);
  });
  it('fails if a timeout is negative or not a number', () => {
    expect(() => secondsFlag('--timeout')('-1')).toThrow('--timeout must be a number of seconds from 0 to 86400 (given "-1")');
    expect(secondsFlag('--timeout')('1.5')).toBe(1.5);
  });
  it('fails if a target is neither local, aws nor a URL', () => {
    expect(() => parseEndpoint('sqs.example')).toThrow(/--target must be local, aws or an http\(s\) URL/);
    expect(parseEndpoint('http://127.0.0.1:4566/')).toBe('http://127.0.0.1:4566');
  });
});

describe('endpoint connections', () => {
  it('sign for the region an AWS-style URL names', async () => {
    // Prepare
    const sqs = createSqsClient(endpointConnection('https://sqs.eu-west-1.amazonaws.com'));
    // Act
    const region = await sqs.config.region();
    sqs.destroy();
    // Assess
    expect(region).toBe('eu-west-1');
    expect(regionInUrl('https://eu-central-1.queue.amazonaws.com/123/q')).toBe('eu-central-1');
    expect(regionInUrl('https://sqs.us-gov-west-1.amazonaws.com')).toBe('us-gov-west-1');
    expect(regionInUrl('http://127.0.0.1:4566')).toBeUndefined();
  });

  it('sign with the key they are given (the embedded server\'s), in the region given', async () => {
    // Prepare
    const key = { accessKeyId: 'FANOUTKEY', secretAccessKey: 'secret' };
    const sqs = createSqsClient(endpointConnection('http://127.0.0.1:4566', { credentials: key, region: 'eu-north-1' }));
    // Act
    const [credentials, region] = [await sqs.config.credentials(), await sqs.config.region()];
    sqs.destroy();
    // Assess
    expect(credentials).toMatchObject(key);
    expect(region).toBe('eu-north-1');
  });
});

describe('idRanges', () => {
  it('folds runs of ids', () => {
    expect(idRanges([1, 2, 3, 7, 9, 10])).toBe('1-3, 7, 9-10');
  });
});
