/**
 * How fanout reaches AWS services: AWS itself (region and credentials from the SDK's usual chain)
 * or an endpoint URL (the embedded server, LocalStack, any SQS-compatible server). Always said
 * explicitly, never inferred from a missing endpoint.
 */

export type Connection =
  | {
      readonly kind: 'aws';
    }
  | {
      readonly kind: 'endpoint';
      /** Origin of the endpoint, e.g. http://127.0.0.1:4566. */
      readonly url: string;
    };

export type EndpointConnection = Extract<Connection, { kind: 'endpoint' }>;

export const AWS: Connection = Object.freeze({ kind: 'aws' });

export function endpointConnection(url: string): EndpointConnection {
  return { kind: 'endpoint', url: new URL(url).origin };
}

/** The endpoint URL, or undefined for AWS: what the SDK's `endpoint` option takes. */
export function endpointOf(connection: Connection): string | undefined {
  return connection.kind === 'endpoint' ? connection.url : undefined;
}
