/**
 * Who may talk to the embedded server, and about what: only SQS requests (`POST /`, JSON
 * protocol, `X-Amz-Target: AmazonSQS.*`) signed with the server's access key (SigV4, verified
 * over the body as received). Everything else gets 403 and an SQS-style error the AWS SDKs turn
 * into a one-line error (`InvalidClientTokenId: …`). fauxqs itself would answer SNS, S3, STS and
 * its inspection pages (every message of a queue) on the same port, to anyone: the embedded
 * server serves its SQS actions alone (sqs-server.ts), behind this guard.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Refusal } from './sigv4.js';

/** Largest request body read: fauxqs's own limit. */
export const MAX_BODY_BYTES = 11 * 1_048_576;

/** The prefix of every SQS action's X-Amz-Target. */
export const SQS_TARGET_PREFIX = 'AmazonSQS.';

/** Why a request is refused before its body is read (not SQS, or too large), or undefined. */
export function refusalBeforeBody(method: string | undefined, url: string | undefined, headers: IncomingHttpHeaders): Refusal | undefined {
  const target = headers['x-amz-target'];
  const sqs =
    method === 'POST' &&
    url === '/' &&
    String(headers['content-type'] ?? '').startsWith('application/x-amz-json-1.0') &&
    typeof target === 'string' &&
    target.startsWith(SQS_TARGET_PREFIX);
  if (!sqs) {
    return { code: 'AccessDenied', status: 403, message: 'this fanout local serves SQS only (POST / with X-Amz-Target: AmazonSQS.*); S3, SNS and the inspection pages are off' };
  }
  if (Number(headers['content-length'] ?? 0) > MAX_BODY_BYTES) return tooLarge();
  return undefined;
}

/** The refusal of a body past MAX_BODY_BYTES. */
export function tooLarge(): Refusal {
  return { code: 'RequestEntityTooLarge', status: 413, message: `the request body is larger than ${MAX_BODY_BYTES} bytes` };
}
