/**
 * fauxqs's SQS store and actions, the store in memory or kept in SQLite under a directory.
 * fauxqs persists only through `startFauxqs({ dataDir })`, which listens on every interface and
 * serves SNS, S3 and inspection pages too; we serve its SQS actions alone, on loopback
 * (sqs-server.ts), so we wire its store and persistence the way `startFauxqs` does. Its package
 * exports `buildApp` only: the store, persistence and action modules are loaded from its files
 * (pinned version, see package.json).
 *
 * What fauxqs 2.4.1 keeps (read in its `persistence.js` and `sqsStore.js`): queues with their
 * attributes; every message, written through on send, receive (receipt handle, visibility
 * deadline, receive count, first receive time), visibility change, delete and move to the
 * dead-letter queue. On load a message whose visibility deadline has passed is ready again with
 * its receive count; one still in flight stays in flight until its deadline.
 *
 * Two fixes: releasing a message (visibility 0) writes NULL into the NOT NULL receive count, so the
 * release fails half-done and the message drops out of memory. Ours clears the receipt handle
 * and deadline and keeps the count, as SQS does. And its check of message bodies refuses the
 * characters from U+10000 up (emoji among them), which SQS accepts: see SQS_BODY_CHARACTERS.
 */
import type { BuildAppOptions } from 'fauxqs';

type Stores = NonNullable<BuildAppOptions['stores']>;
export type SqsStore = Stores['sqsStore'];
type Persistence = NonNullable<SqsStore['persistence']>;
type Queue = ReturnType<SqsStore['createQueue']>;

/** One SQS action of fauxqs: the parsed JSON request in, the JSON response out (or an SqsError thrown). */
export type SqsAction = (body: unknown, store: SqsStore, request: { headers: Record<string, string | string[] | undefined> }) => unknown;

/** The SQS actions fauxqs implements, by X-Amz-Target name (AmazonSQS.<name>), each in its own file. */
const ACTIONS = [
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListQueueTags',
  'ListQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
] as const;

const fauxqsRoot = () => import.meta.resolve('fauxqs');
const load = (path: string) => import(new URL(path, fauxqsRoot()).href) as Promise<Record<string, unknown>>;

/**
 * A character SQS refuses in a message body: it allows #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to
 * #xFFFD | #x10000 to #x10FFFF (SendMessage's API reference) and answers InvalidMessageContents to
 * any other. fauxqs 2.4.1 leaves out the last range (sqsTypes.js, INVALID_MESSAGE_BODY_CHAR); with
 * the `u` flag a pair of surrogates is the one character it stands for, and a lone one is refused.
 */
export const SQS_REFUSED_BODY_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** fauxqs's SQS actions by name, and the class of the error they throw. */
export async function loadSqsActions(): Promise<{ actions: Map<string, SqsAction>; SqsError: new (...args: never[]) => Error & { statusCode: number; queryErrorHeader: string; toJSON(): object } }> {
  const lower = (name: string) => name[0]!.toLowerCase() + name.slice(1);
  const [errors, types, ...modules] = await Promise.all([load('./common/errors.js'), load('./sqs/sqsTypes.js'), ...ACTIONS.map((name) => load(`./sqs/actions/${lower(name)}.js`))]);
  // SendMessage and SendMessageBatch call this one RegExp's test(): SQS's rule instead of fauxqs's.
  const refused = types.INVALID_MESSAGE_BODY_CHAR as RegExp;
  refused.test = (body: string) => SQS_REFUSED_BODY_CHARACTER.test(body);
  const actions = new Map<string, SqsAction>(ACTIONS.map((name, i) => [name, modules[i]![lower(name)] as SqsAction]));
  return { actions, SqsError: errors.SqsError as never };
}

/** fauxqs's SQS store, in memory only (`fanout local --memory`, the library's runtime). */
export async function openMemoryStore(): Promise<SqsStore> {
  const { SqsStore } = (await load('./sqs/sqsStore.js')) as { SqsStore: new () => SqsStore };
  return new SqsStore();
}

export type PersistentStores = {
  sqsStore: SqsStore;
  /** Queues found in the directory, and their messages (waiting, in flight). */
  loaded: { queues: number; messages: number; inFlight: number };
  /** Makes every in-flight message of the queues named so receivable again; returns how many. */
  releaseInFlight(queueName: (name: string) => boolean): number;
  close(): void;
};

/** fauxqs's SQS store, loaded from and written through to `dataDir/fauxqs.db`. */
export async function openPersistentStores(dataDir: string): Promise<PersistentStores> {
  const [sqs, sns, persistenceModule] = await Promise.all([load('./sqs/sqsStore.js'), load('./sns/snsStore.js'), load('./persistence.js')]);
  const SqsStore = sqs.SqsStore as new () => SqsStore;
  // Its loader reads SNS topics too: an SNS store takes them, and nothing serves it.
  const SnsStore = sns.SnsStore as new () => Stores['snsStore'];
  const PersistenceManager = persistenceModule.PersistenceManager as new (dataDir: string) => Persistence;
  const persistence = new PersistenceManager(dataDir);
  const db = (persistence as unknown as { db: { exec(sql: string): void; prepare(sql: string): { run(...args: unknown[]): unknown } } }).db;
  // Durable when the process is killed (the OS has the WAL); a power cut may lose the last writes.
  db.exec('PRAGMA synchronous = NORMAL');
  const release = db.prepare('UPDATE sqs_messages SET receipt_handle = NULL, visibility_deadline = NULL WHERE message_id = ?');
  Object.assign(persistence, { updateMessageReady: (messageId: string) => release.run(messageId) });

  const stores = { sqsStore: new SqsStore(), snsStore: new SnsStore() };
  // Loaded before persistence is attached, as startFauxqs does, so loading writes nothing back.
  persistence.loadSqsAndSns(stores.sqsStore, stores.snsStore);
  stores.sqsStore.persistence = persistence;
  stores.snsStore.persistence = persistence;
  const queues = [...stores.sqsStore.allQueues()] as Queue[];
  for (const queue of queues) queue.persistence = persistence;
  const count = (q: Queue) => q.messages.length + q.delayedMessages.length + q.inflightMessages.size;
  return {
    sqsStore: stores.sqsStore,
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
