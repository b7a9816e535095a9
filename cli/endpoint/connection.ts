/**
 * How fanout reaches AWS services: AWS itself (region and credentials from the SDK's usual chain)
 * or an endpoint URL (the embedded server, LocalStack, any SQS-compatible server). Always said
 * explicitly, never inferred from a missing endpoint.
 *
 * Requests to an endpoint are signed like requests to AWS: with the embedded server's own key
 * when it is the embedded server, else with the SDK's credential chain (placeholders when
 * nothing is configured) and a region named by the URL or the SDK's configuration.
 */
import type { AccessKey } from './credentials.js';

export type Connection =
  | {
      readonly kind: 'aws';
    }
  | {
      readonly kind: 'endpoint';
      /** Origin of the endpoint, e.g. http://127.0.0.1:4566. */
      readonly url: string;
      /** The key to sign with: the embedded server's. @default - the AWS SDK's credential chain, else placeholders */
      readonly credentials?: AccessKey;
      /** The signing region. @default - the one in the URL (sqs.<region>.amazonaws.com), else the SDK's configuration, else us-east-1 */
      readonly region?: string;
    };

export type EndpointConnection = Extract<Connection, { kind: 'endpoint' }>;

export const AWS: Connection = Object.freeze({ kind: 'aws' });

export function endpointConnection(url: string, options: { credentials?: AccessKey; region?: string } = {}): EndpointConnection {
  return {
    kind: 'endpoint',
    url: new URL(url).origin,
    ...(options.credentials && { credentials: { accessKeyId: options.credentials.accessKeyId, secretAccessKey: options.credentials.secretAccessKey } }),
    ...(options.region && { region: options.region }),
  };
}

/** The endpoint URL, or undefined for AWS: what the SDK's `endpoint` option takes. */
export function endpointOf(connection: Connection): string | undefined {
  return connection.kind === 'endpoint' ? connection.url : undefined;
}

/** The region an AWS-style host names: sqs.eu-west-1.amazonaws.com, eu-west-1.queue.amazonaws.com, sqs.eu-west-1.api.aws. */
export function regionInUrl(url: string): string | undefined {
  const host = new URL(url).hostname;
  return /^sqs[.-]([a-z]{2}(?:-[a-z]+)+-\d+)\./.exec(host)?.[1] ?? /^([a-z]{2}(?:-[a-z]+)+-\d+)\.queue\.amazonaws\.com/.exec(host)?.[1];
}

/** True for an endpoint on this machine (127.0.0.0/8, localhost, ::1). */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
