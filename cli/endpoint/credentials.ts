/**
 * Region and credentials for endpoints other than AWS.
 *
 * The embedded server (`fanout local`, `startLocalRuntime()`) has its own access key, made at
 * random on each start and kept in `.fanout/local.json` (mode 0600): it refuses every request not
 * signed with it. Other endpoints (LocalStack, a URL) are signed with the AWS SDK's usual
 * credentials; when none are configured, with the placeholders below, which LocalStack accepts.
 */
import { randomBytes } from 'node:crypto';

export const LOCAL_REGION = 'us-east-1';
/** Placeholders for endpoints that check no signature (LocalStack), when nothing else is configured. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** An access key pair, as the AWS SDKs take it. */
export type AccessKey = { readonly accessKeyId: string; readonly secretAccessKey: string };

/** A fresh key pair shaped like AWS's: a 20-character id (FANOUT…) and a 40-character secret. */
export function newAccessKey(): AccessKey {
  const id = randomBytes(10).toString('hex').toUpperCase().slice(0, 14);
  return { accessKeyId: `FANOUT${id}`, secretAccessKey: randomBytes(30).toString('base64url') };
}
