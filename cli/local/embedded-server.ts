/**
 * The embedded SQS server: fauxqs, in this process, on loopback only.
 * We use its `buildApp` and listen ourselves because its `startFauxqs` and CLI bind every
 * interface, which would expose the queues to the network.
 */
import { buildApp } from 'fauxqs';
import { UsageError } from '../../functions/wire/errors.js';
import { LOCAL_REGION } from '../endpoint/credentials.js';

export type EmbeddedServer = {
  /** e.g. http://127.0.0.1:41234 */
  readonly endpoint: string;
  close(): Promise<void>;
};

export type EmbeddedServerOptions = {
  /** TCP port on 127.0.0.1. @default 0 - any free port */
  port?: number;
};

export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const app = buildApp({ logger: false, defaultRegion: LOCAL_REGION });
  let endpoint: string;
  try {
    endpoint = await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${options.port} on 127.0.0.1 is already in use: pass --port N (0 for any free port)`);
    }
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint,
    close: () => (closing ??= app.close()),
  };
}
