/**
 * The errors fanout raises. Each has a fixed `name`: a job's error result carries
 * `{ name, message }`, and the CLI maps classes to one-line messages and exit codes.
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

/** A job's input does not satisfy its task's input schema. */
export class InputError extends FanoutError {
  override name = 'InputError';
}

/** A job's output cannot be sent as it is: not exactly representable in JSON, or against the task's output schema. */
export class OutputError extends FanoutError {
  override name = 'OutputError';
}

/** A job's input or result does not fit in one SQS message. */
export class OversizeError extends FanoutError {
  override name = 'OversizeError';
}

/** Results could not be sent to the finished queue. */
export class SendError extends FanoutError {
  override name = 'SendError';
}

/** Bad flags, inputs or configuration (a missing stack, queue, run, credentials): the user must change something. */
export class UsageError extends FanoutError {
  override name = 'UsageError';
}

/** A service failed or could not be reached (network, throttling, a partial send): nothing is lost; run again. */
export class ServiceError extends FanoutError {
  override name = 'ServiceError';
}

/** The local run store could not be read or written (disk full, read-only, locked): nothing is lost; run again when fixed. */
export class StorageError extends FanoutError {
  override name = 'StorageError';
}

/** True for SQS's "no such queue" in any of its spellings (query and JSON protocols), here or in a cause. */
export function isMissingQueue(error: unknown): boolean {
  const e = error as { name?: string; Code?: string; cause?: unknown } | null | undefined;
  if (!e) return false;
  if (e.name === 'QueueDoesNotExist' || e.name === 'AWS.SimpleQueueService.NonExistentQueue' || e.Code === 'AWS.SimpleQueueService.NonExistentQueue') return true;
  return e.cause !== undefined && e.cause !== error && isMissingQueue(e.cause);
}

/** Longest error name and message a result carries: a runaway message must not cost the job its result. */
export const ERROR_LIMITS = { name: 256, message: 4096 } as const;

/**
 * The `{ name, message }` a result carries for a job that failed. Never throws, whatever was
 * thrown: an Error, a string, null, an object without a prototype, one whose getters throw.
 */
export function errorInfo(thrown: unknown): { name: string; message: string } {
  try {
    if (typeof thrown === 'object' && thrown !== null) {
      const { name, message } = thrown as { name?: unknown; message?: unknown };
      if (typeof message === 'string') return clip(typeof name === 'string' && name ? name : 'Error', message);
      return clip(thrown instanceof Error ? 'Error' : 'NonErrorThrown', describe(thrown));
    }
    return clip('NonErrorThrown', typeof thrown === 'string' ? thrown : describe(thrown));
  } catch {
    return { name: 'NonErrorThrown', message: 'a value was thrown that cannot be described' };
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined && json !== '{}') return json;
  } catch {
    // cyclic, or a getter that throws: the tag below still says what it was
  }
  return Object.prototype.toString.call(value);
}

function clip(name: string, message: string): { name: string; message: string } {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  return { name: cut(name, ERROR_LIMITS.name), message: cut(message, ERROR_LIMITS.message) };
}
