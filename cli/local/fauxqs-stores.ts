/**
 * fauxqs's stores, in memory or kept in SQLite under a directory. fauxqs persists only through
 * `startFauxqs({ dataDir })`, which listens on every interface; we listen on loopback ourselves
 * (`buildApp`), so we wire its stores and persistence the way `startFauxqs` does. Its package
 * exports `buildApp` only: the store and persistence classes are loaded from its files (pinned
 * version, see package.json).
 *
 * What fauxqs 2.4.1 keeps (read in its `persistence.js` and `sqsStore.js`): queues with their
 * attributes; every message, written through on send, receive (receipt handle, visibility
 * deadline, receive count, first receive time), visibility change, delete and move to the
 * dead-letter queue. On load a message whose visibility deadline has passed is ready again with
 * its receive count; one still in flight stays in flight until its deadline.
 *
 * One fix: releasing a message (visibility 0) writes NULL into the NOT NULL receive count, so the
 * release fails half-done and the message drops out of memory. Ours clears the receipt handle
 * and deadline and keeps the count, as SQS does.
 */
import type { BuildAppOptions } from 'fauxqs';

export type Stores = NonNullable<BuildAppOptions['stores']>;
type SqsStore = Stores['sqsStore'];
type Persistence = NonNullable<SqsStore['persistence']>;
type Queue = ReturnType<SqsStore['createQueue']>;

type FauxqsModules = {
  SqsStore: new () => SqsStore;
  SnsStore: new () => Stores['snsStore'];
  S3Store: new () => Stores['s3Store'];
  PersistenceManager: new (dataDir: string) => Persistence;
};

async function fauxqsModules(): Promise<FauxqsModules> {
  const app = import.meta.resolve('fauxqs');
  const load = (path: string) => import(new URL(path, app).href) as Promise<Record<string, unknown>>;
  const [sqs, sns, s3, persistence] = await Promise.all([load('./sqs/sqsStore.js'), load('./sns/snsStore.js'), load('./s3/s3Store.js'), load('./persistence.js')]);
  return { SqsStore: sqs.SqsStore, SnsStore: sns.SnsStore, S3Store: s3.S3Store, PersistenceManager: persistence.PersistenceManager } as FauxqsModules;
}

export type PersistentStores = {
  stores: Stores;
  /** Queues found in the directory, and their messages (waiting, in flight). */
  loaded: { queues: number; messages: number; inFlight: number };
  /** Makes every in-flight message of the queues named so receivable again; returns how many. */
  releaseInFlight(queueName: (name: string) => boolean): number;
  close(): void;
};

/** fauxqs's stores in memory only (`fanout local --memory`, the library's runtime). */
export async function openMemoryStores(): Promise<Stores> {
  const { SqsStore, SnsStore, S3Store } = await fauxqsModules();
  return { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
}

/** fauxqs's stores, loaded from and written through to `dataDir/fauxqs.db`. */
export async function openPersistentStores(dataDir: string): Promise<PersistentStores> {
  const { SqsStore, SnsStore, S3Store, PersistenceManager } = await fauxqsModules();
  const persistence = new PersistenceManager(dataDir);
  const db = (persistence as unknown as { db: { exec(sql: string): void; prepare(sql: string): { run(...args: unknown[]): unknown } } }).db;
  // Durable when the process is killed (the OS has the WAL); a power cut may lose the last writes.
  db.exec('PRAGMA synchronous = NORMAL');
  const release = db.prepare('UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?');
  Object.assign(persistence, { updateMessageReady: (messageId: string) => release.run(messageId) });

  const stores: Stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
  // Loaded before persistence is attached, as startFauxqs does, so loading writes nothing back.
  persistence.loadSqsAndSns(stores.sqsStore, stores.snsStore);
  stores.sqsStore.persistence = persistence;
  stores.snsStore.persistence = persistence;
  const queues = [...stores.sqsStore.allQueues()] as Queue[];
  for (const queue of queues) queue.persistence = persistence;
  const count = (q: Queue) => q.messages.length + q.delayedMessages.length + q.inflightMessages.size;
  return {
    stores,
    loaded: {
      queues: queues.length,
      messages: queues.reduce((n, q) => n + count(q), 0),
      inFlight: queues.reduce((n, q) => n + q.inflightMessages.size, 0),
    },
    releaseInFlight(queueName) {
      let released = 0;
      for (const queue of queues.filter((q) => queueName(q.name))) {
        for (const handle of [...queue.inflightMessages.keys()]) {
          queue.changeVisibility(handle, 0);
          released++;
        }
      }
      return released;
    },
    close: () => persistence.close(),
  };
}
