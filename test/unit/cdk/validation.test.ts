import { Lazy } from 'aws-cdk-lib';
import { describe, expect, test } from 'vitest';
import { QUEUES, WORKER_TIMEOUT_SECONDS } from '../../../functions/wire/constants.js';
import { FanoutPropsError } from '../../../cdk/errors.js';
import {
  validateBatchSize,
  validateMaxConcurrency,
  validateMemorySize,
  validateVisibilityTimeout,
} from '../../../cdk/validation.js';

describe('validation', () => {
  test("functions/constants.ts satisfies AWS's 6 × timeout rule", () => {
    // GIVEN / WHEN / THEN
    expect(() => validateVisibilityTimeout(QUEUES.dispatched.visibilityTimeoutSeconds, WORKER_TIMEOUT_SECONDS)).not.toThrow();
  });

  test('fails if the visibility timeout is under 6 × the worker timeout', () => {
    // GIVEN / WHEN / THEN
    expect(() => validateVisibilityTimeout(359, 60)).toThrow(FanoutPropsError);
    expect(() => validateVisibilityTimeout(359, 60)).toThrow(
      /at least 6 × the worker timeout = 360 s \(given 359 s for a 60 s timeout\)/,
    );
  });

  test('skips tokens', () => {
    // GIVEN
    const token = Lazy.number({ produce: () => 1 });

    // WHEN / THEN: CloudFormation checks them at deploy time
    expect(() => validateMemorySize(token)).not.toThrow();
    expect(() => validateBatchSize(token, 0)).not.toThrow();
    expect(() => validateMaxConcurrency(token)).not.toThrow();
  });
});
