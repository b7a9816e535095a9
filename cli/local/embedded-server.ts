/**
 * The embedded SQS server: fauxqs's SQS store and actions, in this process, on loopback only
 * (sqs-server.ts). Its `startFauxqs` and CLI bind every interface, which would expose the queues
 * to the network, and serve SNS, S3 and inspection pages beside SQS.
 *
 * Every request must be an SQS request signed (SigV4) with the server's access key: anything
 * else gets a 403 (request-guard.ts). The key is made at random unless given.
 *
 * In memory by default; with `dataDir`, queues and messages are kept in SQLite there and survive
 * a restart or a `kill -9` (fauxqs-stores.ts says what is kept). One server at a time may use a
 * directory: a lock file names its pid.
 */
import { chmod, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { UsageError } from '../../functions/wire/errors.js';
import { LOCAL_REGION, newAccessKey, type AccessKey } from '../endpoint/credentials.js';
import { claimFile, isProcessAlive } from '../processes.js';
import { loadSqsActions, openMemoryStore, openPersistentStores, type PersistentStores } from './fauxqs-stores.js';
import { createSqsServer } from './sqs-server.js';

export type EmbeddedServer = {
  /** e.g. http://127.0.0.1:41234 */
  readonly endpoint: string;
  /** The key requests must be signed with. */
  readonly credentials: AccessKey;
  /** What was found in `dataDir` on start; undefined in memory. */
  readonly loaded: PersistentStores['loaded'] | undefined;
  /** In-flight messages made receivable again on start (see `releaseInFlight`). */
  readonly released: number;
  close(): Promise<void>;
};

export type EmbeddedServerOptions = {
  /** TCP port on 127.0.0.1. @default 0 - any free port */
  port?: number;
  /** Keep queues and messages in SQLite under this directory. @default - in memory */
  dataDir?: string;
  /**
   * Queues (by name) whose in-flight messages found in `dataDir` are made receivable at once:
   * those held by consumers that died with the previous server. @default - none: they come back at their visibility deadline
   */
  releaseInFlight?: (queueName: string) => boolean;
  /** Delete what `dataDir` holds before starting. @default false */
  reset?: boolean;
  /** The access key requests must be signed with. @default - a fresh random key */
  credentials?: AccessKey;
};

export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const { dataDir } = options;
  const unlock = dataDir ? await lockDataDir(dataDir).catch((error: unknown) => Promise.reject(storageError(error, dataDir))) : async () => {};
  let persistent: PersistentStores | undefined;
  let server: Server | undefined;
  try {
    const actions = loadSqsActions();
    if (dataDir) {
      persistent = await (async () => {
        if (options.reset) await wipe(dataDir);
        return openPersistentStores(dataDir);
      })().catch((error: unknown) => Promise.reject(storageError(error, dataDir)));
    }
    const released = options.releaseInFlight && persistent ? persistent.releaseInFlight(options.releaseInFlight) : 0;
    const store = persistent?.sqsStore ?? (await openMemoryStore());
    // Queue URLs on the host the client used (127.0.0.1:port), which resolves on any machine —
    // not fauxqs's default sqs.<region>.localhost, which many resolvers cannot.
    (store as { host: string }).host = '';
    (store as { region: string }).region = LOCAL_REGION;
    const credentials = options.credentials ?? newAccessKey();
    const opened = createSqsServer({ store, ...(await actions), key: credentials });
    server = opened;
    const endpoint = await listen(opened, options.port);
    let closing: Promise<void> | undefined;
    const close = async () => {
      // Long polls end (empty) first, then every connection goes, then the stores.
      store.shutdown();
      await new Promise<void>((resolve) => {
        opened.close(() => resolve());
        opened.closeAllConnections();
      });
      persistent?.close();
      await unlock();
    };
    return { endpoint, credentials, loaded: persistent?.loaded, released, close: () => (closing ??= close()) };
  } catch (error) {
    if (server?.listening) await new Promise((resolve) => server!.close(resolve));
    persistent?.close();
    await unlock();
    throw error;
  }
}

async function listen(server: Server, port = 0): Promise<string> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${port} on 127.0.0.1 is already in use: pass --port N (0 for any free port)`);
    }
    throw error;
  }
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the embedded server has no address');
  return `http://127.0.0.1:${address.port}`;
}

/** Takes `dataDir/lock` for this process; refuses if a live process holds it. Returns the release. */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  // Messages are the users' data: only this user may read them.
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
  const path = join(dataDir, 'lock');
  await claimFile(path, `${process.pid}\n`, async () => {
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (holder && holder !== process.pid && isProcessAlive(holder)) {
      return new UsageError(`another fanout local (pid ${holder}) is using ${dataDir}: stop it first, or run this one with --memory or another FANOUT_HOME`);
    }
    return undefined; // left by a server that was killed: take it over
  });
  return () => rm(path, { force: true });
}

/** Deletes the stores in `dataDir` (the SQLite database and its journals), not the lock. */
async function wipe(dataDir: string): Promise<void> {
  for (const name of await readdir(dataDir)) {
    if (name !== 'lock') await rm(join(dataDir, name), { recursive: true, force: true });
  }
}

/** A data directory that cannot be used, in one line that says what to do. */
function storageError(error: unknown, dataDir: string): Error {
  if (error instanceof UsageError) return error;
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'EEXIST' || e.code === 'ENOTDIR') {
    return new UsageError(`cannot keep the local queues in ${dataDir}: a file is in the way: move it, or start with --memory`, { cause: error });
  }
  const reason = /not a database|malformed/i.test(e.message ?? '') ? `its database is damaged or not fanout's (${e.message})` : `${e.code ?? e.name}: ${e.message}`;
  return new UsageError(`cannot keep the local queues in ${dataDir}: ${reason}: start with --reset (wipes it) or --memory`, { cause: error });
}
