/**
 * Checks on `FanoutProps`, run at the top of the `Fanout` constructor.
 * Each message names the prop, states the rule, gives the value and says how to fix it.
 * Unresolved tokens are skipped (CloudFormation checks them at deploy time), except where a
 * value has to be known at synth time to derive another one.
 */
import { Duration, Token } from 'aws-cdk-lib';
import { LOG_LEVELS, QUEUES, type LogLevel } from '../functions/wire/constants.js';
import { FanoutPropsError } from './errors.js';

/** `FanoutProps.provisionedPollers`, as the checks read it. */
type Pollers = { readonly minimum?: number; readonly maximum?: number };

/** SQS allows queue names of at most 80 characters: alphanumerics, hyphens and underscores. */
const QUEUE_NAME_MAX_LENGTH = 80;
const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_-]*$/;

/** AWS requires the visibility timeout of a queue that triggers a Lambda function to be at least 6 × its timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Log levels understood by Powertools for AWS Lambda's logger (`POWERTOOLS_LOG_LEVEL`). */
export const WORKER_LOG_LEVELS = LOG_LEVELS;

/** One of `WORKER_LOG_LEVELS`. */
export type WorkerLogLevel = LogLevel;

/** Lambda's limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) and SQS event source limits. */
export const LIMITS = {
  minMemoryMb: 128,
  maxMemoryMb: 10_240,
  minTimeoutSeconds: 1,
  maxTimeoutSeconds: 900,
  maxBatchSizeWithoutWindow: 10,
  maxBatchSizeWithWindow: 10_000,
  maxBatchingWindowSeconds: 300,
  minMaxConcurrency: 2,
  maxMaxConcurrency: 1000,
  /**
   * Provisioned mode's pollers for an SQS event source: minimum 2–200 (default 2), maximum 2–2000 (default
   * 200). The CloudFormation reference (AWS::Lambda::EventSourceMapping ProvisionedPollerConfig) and the
   * installed aws-cdk-lib (aws-lambda/lib/event-source-mapping.d.ts, ProvisionedPollerConfig) give these
   * ranges; the Lambda API reference has since documented maxima up to 10,000 for SQS, which CloudFormation's
   * schema (1–2000) does not accept.
   */
  minMinimumPollers: 2,
  maxMinimumPollers: 200,
  defaultMinimumPollers: 2,
  minMaximumPollers: 2,
  maxMaximumPollers: 2000,
  defaultMaximumPollers: 200,
  minReservedConcurrency: 1,
} as const;

const LONGEST_BASE_NAME = Math.max(
  QUEUES.dispatched.name.length,
  QUEUES.deadLetter.name.length,
  QUEUES.finished.name.length,
);

/** Throws unless `prefix` keeps every queue name valid. */
export function validateQueueNamePrefix(prefix: string): void {
  if (Token.isUnresolved(prefix)) {
    throw new FanoutPropsError(
      'queueNamePrefix must be a literal string, not a token: queue names are checked at synth time. Pass a plain string.',
    );
  }
  if (!QUEUE_NAME_PATTERN.test(prefix)) {
    throw new FanoutPropsError(
      `queueNamePrefix may only contain letters, digits, '-' and '_' (given '${prefix}'). Remove the other characters.`,
    );
  }
  const maxPrefix = QUEUE_NAME_MAX_LENGTH - LONGEST_BASE_NAME;
  if (prefix.length > maxPrefix) {
    throw new FanoutPropsError(
      `queueNamePrefix must be at most ${maxPrefix} characters so that queue names stay within SQS's ${QUEUE_NAME_MAX_LENGTH} (given ${prefix.length}: '${prefix}'). Use a shorter prefix.`,
    );
  }
}

/** Throws unless `timeout` is a literal whole number of seconds within Lambda's range; returns the seconds. */
export function validateWorkerTimeout(timeout: Duration): number {
  if (timeout.isUnresolved()) {
    throw new FanoutPropsError(
      "workerTimeout must be a literal Duration, not a token: the dispatched queue's visibility timeout is derived from it at synth time.",
    );
  }
  const millis = timeout.toMilliseconds();
  if (millis % 1000 !== 0) {
    throw new FanoutPropsError(
      `workerTimeout must be a whole number of seconds (given ${timeout.toHumanString()}). Round it to seconds.`,
    );
  }
  const seconds = millis / 1000;
  if (seconds < LIMITS.minTimeoutSeconds || seconds > LIMITS.maxTimeoutSeconds) {
    throw new FanoutPropsError(
      `workerTimeout must be between ${LIMITS.minTimeoutSeconds} and ${LIMITS.maxTimeoutSeconds} seconds inclusive (given ${seconds}).`,
    );
  }
  return seconds;
}

/** Throws unless the dispatched queue's visibility timeout is at least 6 × the worker's timeout. */
export function validateVisibilityTimeout(visibilitySeconds: number, timeoutSeconds: number): void {
  const required = VISIBILITY_TIMEOUT_FACTOR * timeoutSeconds;
  if (visibilitySeconds < required) {
    throw new FanoutPropsError(
      `The dispatched queue's visibility timeout must be at least ${VISIBILITY_TIMEOUT_FACTOR} × the worker timeout = ${required} s (given ${visibilitySeconds} s for a ${timeoutSeconds} s timeout). ` +
        'Raise QUEUES.dispatched.visibilityTimeoutSeconds in functions/constants.ts or lower the timeout.',
    );
  }
}

/** Throws unless `memorySizeMb` is a whole number of MB within Lambda's range. */
export function validateMemorySize(memorySizeMb: number): void {
  if (Token.isUnresolved(memorySizeMb)) return;
  if (!Number.isInteger(memorySizeMb) || memorySizeMb < LIMITS.minMemoryMb || memorySizeMb > LIMITS.maxMemoryMb) {
    throw new FanoutPropsError(
      `memorySizeMb must be a whole number between ${LIMITS.minMemoryMb} and ${LIMITS.maxMemoryMb} inclusive (given ${memorySizeMb}).`,
    );
  }
}

/** Throws unless the window is at most 5 minutes in whole seconds; returns its seconds (0 when absent or a token). */
export function validateMaxBatchingWindow(window: Duration | undefined): number {
  if (window === undefined || window.isUnresolved()) return 0;
  const millis = window.toMilliseconds();
  if (millis % 1000 !== 0 || millis < 0 || millis > LIMITS.maxBatchingWindowSeconds * 1000) {
    throw new FanoutPropsError(
      `maxBatchingWindow must be a whole number of seconds between 0 and ${LIMITS.maxBatchingWindowSeconds} inclusive (given ${window.toHumanString()}).`,
    );
  }
  return millis / 1000;
}

/** Throws unless `batchSize` is allowed with the given batching window. */
export function validateBatchSize(batchSize: number, windowSeconds: number): void {
  if (Token.isUnresolved(batchSize)) return;
  const max = windowSeconds > 0 ? LIMITS.maxBatchSizeWithWindow : LIMITS.maxBatchSizeWithoutWindow;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > max) {
    const hint =
      windowSeconds > 0
        ? ''
        : ` Batches larger than ${LIMITS.maxBatchSizeWithoutWindow} need a maxBatchingWindow of at least 1 second.`;
    throw new FanoutPropsError(
      `batchSize must be a whole number between 1 and ${max} inclusive (given ${batchSize}).${hint}`,
    );
  }
}

/** Throws unless `maxConcurrency` is within the SQS event source's range. */
export function validateMaxConcurrency(maxConcurrency: number): void {
  if (Token.isUnresolved(maxConcurrency)) return;
  if (
    !Number.isInteger(maxConcurrency) ||
    maxConcurrency < LIMITS.minMaxConcurrency ||
    maxConcurrency > LIMITS.maxMaxConcurrency
  ) {
    throw new FanoutPropsError(
      `maxConcurrency must be a whole number between ${LIMITS.minMaxConcurrency} and ${LIMITS.maxMaxConcurrency} inclusive (given ${maxConcurrency}).`,
    );
  }
}

/** Throws unless each bound is a whole number in its range and `minimum` ≤ `maximum`; returns both, defaults filled in. */
export function validateProvisionedPollers(pollers: Pollers): { minimum: number; maximum: number } {
  const minimum = pollers.minimum ?? LIMITS.defaultMinimumPollers;
  const maximum = pollers.maximum ?? LIMITS.defaultMaximumPollers;
  const check = (name: string, value: number, low: number, high: number) => {
    if (Token.isUnresolved(value)) return;
    if (!Number.isInteger(value) || value < low || value > high) {
      throw new FanoutPropsError(`provisionedPollers.${name} must be a whole number between ${low} and ${high} inclusive (given ${value}).`);
    }
  };
  check('minimum', minimum, LIMITS.minMinimumPollers, LIMITS.maxMinimumPollers);
  check('maximum', maximum, LIMITS.minMaximumPollers, LIMITS.maxMaximumPollers);
  if (!Token.isUnresolved(minimum) && !Token.isUnresolved(maximum) && minimum > maximum) {
    throw new FanoutPropsError(`provisionedPollers.minimum must be at most provisionedPollers.maximum (given minimum ${minimum}, maximum ${maximum}).`);
  }
  return { minimum, maximum };
}

/** Throws if both scaling modes are asked for: AWS takes `MaximumConcurrency` or `ProvisionedPollerConfig`, not both. */
export function validateScalingMode(maxConcurrency: number | undefined, pollers: Pollers | undefined): void {
  if (maxConcurrency === undefined || pollers === undefined) return;
  throw new FanoutPropsError(
    `maxConcurrency and provisionedPollers exclude each other (given maxConcurrency ${maxConcurrency} and provisionedPollers ${JSON.stringify(pollers)}): ` +
      'keep maxConcurrency for standard mode, or provisionedPollers for provisioned mode (bound it with provisionedPollers.maximum or reservedConcurrency).',
  );
}

/** Throws unless `reservedConcurrency` is a whole number of at least 1. */
export function validateReservedConcurrency(reserved: number | undefined): void {
  if (reserved === undefined || Token.isUnresolved(reserved)) return;
  if (!Number.isInteger(reserved) || reserved < LIMITS.minReservedConcurrency) {
    throw new FanoutPropsError(
      `reservedConcurrency must be a whole number of at least ${LIMITS.minReservedConcurrency} (given ${reserved}). To stop the worker, use \`fanout pause\` instead of reserving 0.`,
    );
  }
}

/**
 * Throws unless the message-age alarm threshold is at least one minute (the metric's period) and below
 * the dispatched queue's retention, the oldest a message can get.
 */
export function validateMessageAgeAlarmThreshold(threshold: Duration): void {
  if (threshold.isUnresolved()) return;
  const millis = threshold.toMilliseconds();
  const retention = QUEUES.dispatched.retentionSeconds;
  if (millis % 1000 !== 0 || millis < 60_000 || millis >= retention * 1000) {
    throw new FanoutPropsError(
      `messageAgeAlarmThreshold must be a whole number of seconds, at least 60 and below the dispatched queue's retention of ${retention} (given ${threshold.toHumanString()}).`,
    );
  }
}

/** Throws unless `logLevel` is one of Powertools' levels. */
export function validateLogLevel(logLevel: string): void {
  if (!(WORKER_LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new FanoutPropsError(
      `logLevel must be one of ${WORKER_LOG_LEVELS.join(', ')} (given '${logLevel}').`,
    );
  }
}
