/**
 * A run's predicted course on Lambda in both of the event source's modes (scaling.ts), and what
 * the prediction warns of: messages whose jobs outlast an invocation (chains of continuations,
 * which Lambda cuts after 16), and jobs that outlast the timeout itself.
 */
import type { LambdaSettings } from './measured-run.js';
import { formatDuration } from './numbers.js';
import { predictScaling, reserveMs, SCALING, type ScalingPrediction } from './scaling.js';

export type RunScaling = {
  standard: ScalingPrediction;
  provisioned: ScalingPrediction;
  /** What the predictions leave out or warn of. */
  notes: string[];
};

export type RunScalingInput = {
  /** Invocations of the run's messages, before continuations. */
  invocations: number;
  /** One invocation's jobs, in ms. */
  invocationMs: number;
  /** The longest job seen, in ms. @default - not known */
  maxJobMs?: number;
  lambda: LambdaSettings;
};

/** Default worker timeout: the stack's (functions/wire/constants.ts WORKER_TIMEOUT_SECONDS). */
export const DEFAULT_TIMEOUT_SECONDS = 60;

export function runScaling(input: RunScalingInput): RunScaling {
  const { lambda } = input;
  const timeoutMs = (lambda.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const common = { invocations: input.invocations, invocationMs: input.invocationMs, timeoutMs, accountConcurrency: lambda.accountConcurrency, reservedConcurrency: lambda.reservedConcurrency };
  const pollers = lambda.pollers ?? { minimum: SCALING.provisioned.defaultMinimumPollers, maximum: SCALING.provisioned.defaultMaximumPollers };
  const standard = predictScaling({ ...common, mode: { kind: 'standard', maxConcurrency: lambda.maxConcurrency } });
  const provisioned = predictScaling({ ...common, mode: { kind: 'provisioned', minimumPollers: pollers.minimum, maximumPollers: pollers.maximum } });
  const budget = formatDuration(timeoutMs - reserveMs(timeoutMs));
  const timeout = formatDuration(timeoutMs);
  const notes = [
    'wall time from the documented scaling rates, every message waiting from the start: dispatch, cold starts and throttling by other functions not counted',
  ];
  if (standard.chainLength > 1) {
    notes.push(
      `an invocation's jobs take ${formatDuration(input.invocationMs)}, more than the ${budget} it runs them for (a ${timeout} timeout less its reserve): each message goes on as a chain of ${standard.chainLength} invocations, each handing its unstarted jobs to the next (in the wall time, not in the lines above: Lambda requests ×${standard.chainLength}, one more SQS send a link)`,
    );
  }
  if (standard.chainLength > SCALING.maxChain) {
    notes.push(`Lambda stops a chain after ${SCALING.maxChain} invocations (recursive loop detection): each message's jobs past the first ${SCALING.maxChain} × ${budget} would be dead-lettered. Pack fewer jobs per message (--pack) or raise the timeout`);
  }
  if (input.maxJobMs !== undefined && input.maxJobMs > timeoutMs) {
    notes.push(`a sampled job took ${formatDuration(input.maxJobMs)}, more than the ${timeout} timeout: on Lambda it would be cut off, retried and dead-lettered. Raise workerTimeout (up to 900 s) or split the job`);
  }
  notes.push('provisioned mode also bills its event pollers while they exist (the minimum all the time, more while it scales): their price is not in the table');
  return { standard, provisioned, notes };
}
