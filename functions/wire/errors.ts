/**
 * The errors fanout raises. Each has a fixed `name`: a job's error result carries
 * `{ name, message }`, and the CLI maps names to one-line messages and exit codes.
 */

/** Base of every error fanout raises on purpose. */
export class FanoutError extends Error {
  override name = 'FanoutError';
}

/** A message (or inputs line) does not follow the wire contract. */
export class ContractError extends FanoutError {
  override name = 'ContractError';
}

/** A job names a task that is not in the registry. */
export class UnknownTaskError extends FanoutError {
  override name = 'UnknownTaskError';
  constructor(
    readonly task: string,
    known: readonly string[],
  ) {
    super(`unknown task "${task}" (known: ${known.join(', ') || 'none'})`);
  }
}

/** A job's input or result does not fit in one SQS message. */
export class OversizeError extends FanoutError {
  override name = 'OversizeError';
}

/** Results could not be sent to the finished queue. */
export class SendError extends FanoutError {
  override name = 'SendError';
}

/** Bad flags, inputs or configuration (a missing stack, queue, credentials): the user must change something. */
export class UsageError extends FanoutError {
  override name = 'UsageError';
}

/** A service failed or could not be reached (network, throttling, a partial send): nothing is lost; run again. */
export class ServiceError extends FanoutError {
  override name = 'ServiceError';
}

/** The `{ name, message }` a result carries for a job that failed. */
export function errorInfo(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name || 'Error', message: error.message };
  return { name: 'Error', message: String(error) };
}
