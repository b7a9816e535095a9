/**
 * A target: one connection, an SQS client on it, and the fan-out's three queues there. What
 * dispatch, collect, the workers and the operations commands are given. Close it when done.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Connection } from './connection.js';
import type { Queues } from './queues.js';
import type { StackOutputs } from './stack-outputs.js';

export type Target = {
  /** As the user named it: `local`, `aws`, or an endpoint URL. */
  readonly name: string;
  readonly connection: Connection;
  readonly sqs: SQSClient;
  readonly queues: Queues;
  /** Human-readable: where requests go. */
  readonly where: string;
  /** The deployed stack's outputs, when the queues came from a stack. */
  readonly stack?: StackOutputs | undefined;
  /** Releases the client's sockets. Idempotent. */
  close(): void;
};

export type TargetParts = Omit<Target, 'close' | 'where'> & { where?: string };

/** A target over parts already at hand (a client, found or created queues). */
export function openTarget(parts: TargetParts): Target {
  const where = parts.where ?? (parts.connection.kind === 'endpoint' ? parts.connection.url : 'AWS');
  let closed = false;
  return {
    ...parts,
    where,
    close() {
      if (closed) return;
      closed = true;
      parts.sqs.destroy();
    },
  };
}
