/**
 * Turns SDK and network errors into one-line fanout errors that say what to do: a UsageError
 * when the user must change something (credentials, region, a missing queue or permission), a
 * ServiceError when the service failed or could not be reached (run again).
 */
import { FanoutError, isMissingQueue, ServiceError, UsageError } from '../../functions/wire/errors.js';
import type { Connection } from './connection.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'TimeoutError']);

export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; name?: string; cause?: unknown };
  return CONNECTION_CODES.has(e?.code ?? '') || CONNECTION_CODES.has(e?.name ?? '') || (e?.cause !== undefined && isConnectionError(e.cause));
}

/** The first connection error code in the cause chain (ECONNREFUSED, …). */
function connectionCode(error: unknown): string {
  const e = error as { code?: string; name?: string; cause?: unknown };
  if (CONNECTION_CODES.has(e?.code ?? '')) return e.code!;
  if (e?.cause !== undefined && isConnectionError(e.cause)) return connectionCode(e.cause);
  return e?.name ?? 'Error';
}

/** SDK messages sometimes span lines (an HTML error page, a stack): fanout's errors are one line. */
export function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Where calls go: a Target, or anything that says where and how. */
export type Place = {
  /** The endpoint URL, or "AWS (eu-west-1)", for messages. */
  readonly where: string;
  readonly connection: Connection;
};

type ServiceAt = Place & { service: string };

/**
 * Errors any AWS service call can meet: unreachable endpoint, missing credentials or region,
 * access denied. Undefined for anything else.
 */
function explainCommon(error: unknown, at: ServiceAt): FanoutError | undefined {
  const e = error as { name?: string; message?: string };
  const name = e?.name ?? 'Error';
  const message = oneLine(e?.message ?? '');
  const service = `${at.service} at ${at.where}`;
  if (isConnectionError(error)) {
    const hint = at.connection.kind === 'endpoint' ? 'is it running?' : 'check the network and the region';
    return new ServiceError(`cannot reach ${service} (${connectionCode(error)}): ${hint}`, { cause: error });
  }
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return new UsageError(`no AWS credentials: configure a profile (AWS_PROFILE) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (${message || name})`, { cause: error });
  }
  if (/region is missing/i.test(message)) {
    return new UsageError('no AWS region: set AWS_REGION or a region in your profile', { cause: error });
  }
  if (/^(AccessDenied|AccessDeniedException|AccessDeniedError|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidSecurity|ExpiredToken|MissingAuthenticationToken|IncompleteSignature)$/.test(name)) {
    return new UsageError(`${service} denied access: ${name}: ${message}`, { cause: error });
  }
  if (error instanceof SyntaxError || /Unexpected token|Deserialization error|is not valid JSON/.test(message)) {
    return new UsageError(`${at.where} is not an ${at.service} endpoint: it answered with something else (${message.slice(0, 80)})`, { cause: error });
  }
  return undefined;
}

/** A one-line error for any AWS call (CloudFormation, Lambda). */
export function explainAwsError(error: unknown, service: string, place: Place): FanoutError {
  const at = { ...place, service };
  if (error instanceof FanoutError) return error;
  const e = error as { name?: string; message?: string };
  return explainCommon(error, at) ?? new ServiceError(oneLine(`${at.service} at ${at.where} refused: ${e?.name ?? 'Error'}: ${e?.message ?? ''}`), { cause: error });
}

/**
 * @param queue the queue name or URL involved, when there is one
 */
export function explainSqsError(error: unknown, at: Place, queue?: string): FanoutError {
  if (error instanceof FanoutError) return error;
  const e = error as { name?: string; message?: string };
  if (isMissingQueue(error)) return new UsageError(oneLine(`queue ${queue ?? ''} does not exist at ${at.where}`), { cause: error });
  const sqs = { ...at, service: 'SQS' };
  return explainCommon(error, sqs) ?? new ServiceError(oneLine(`SQS at ${at.where} refused${queue ? ` (${queue})` : ''}: ${e?.name ?? 'Error'}: ${e?.message ?? ''}`), { cause: error });
}
