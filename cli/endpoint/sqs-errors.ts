/** Turns SDK and network errors into one-line ConfigErrors that say what to do. */
import { ConfigError, FanoutError } from '../../functions/wire/errors.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'TimeoutError']);

export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; name?: string; cause?: unknown };
  return CONNECTION_CODES.has(e?.code ?? '') || CONNECTION_CODES.has(e?.name ?? '') || (e?.cause !== undefined && isConnectionError(e.cause));
}

/**
 * Errors any AWS service call can meet: unreachable endpoint, missing credentials or region,
 * access denied. Undefined for anything else.
 * @param service e.g. "SQS at http://127.0.0.1:4566" or "CloudFormation at AWS (eu-west-1)"
 */
function explainCommon(error: unknown, service: string): ConfigError | undefined {
  const e = error as { name?: string; message?: string };
  const name = e?.name ?? 'Error';
  if (isConnectionError(error)) {
    return new ConfigError(`cannot reach ${service} (${(error as { code?: string }).code ?? name}): is it running?`, { cause: error });
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(e?.message ?? '')) {
    return new ConfigError(`no AWS credentials: configure a profile (AWS_PROFILE) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${e?.message ?? name})`, { cause: error });
  }
  if (/region is missing/i.test(e?.message ?? '')) {
    return new ConfigError('no AWS region: set AWS_REGION or a region in your profile', { cause: error });
  }
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'AccessDeniedError') {
    return new ConfigError(`${service} denied access: ${e?.message ?? name}`, { cause: error });
  }
  return undefined;
}

/** A one-line error for any AWS call (CloudFormation, Lambda). */
export function explainAwsError(error: unknown, service: string): Error {
  if (error instanceof FanoutError) return error;
  const e = error as { name?: string; message?: string };
  return explainCommon(error, service) ?? new ConfigError(`${service} refused: ${e?.name ?? 'Error'}: ${e?.message ?? ''}`.trim(), { cause: error });
}

/**
 * @param where the endpoint or "AWS (region)" being talked to
 * @param queue the queue name or URL involved, when there is one
 */
export function explainSqsError(error: unknown, where: string, queue?: string): Error {
  if (error instanceof FanoutError) return error;
  const e = error as { name?: string; message?: string; Code?: string };
  const name = e?.name ?? 'Error';
  if (name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue' || e?.Code === 'AWS.SimpleQueueService.NonExistentQueue') {
    return new ConfigError(`queue ${queue ?? ''} does not exist at ${where}`.replace('  ', ' '), { cause: error });
  }
  return explainCommon(error, `SQS at ${where}`) ?? new ConfigError(`SQS at ${where} refused${queue ? ` (${queue})` : ''}: ${name}: ${e?.message ?? ''}`.trim(), { cause: error });
}
