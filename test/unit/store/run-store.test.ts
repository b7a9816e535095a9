/** The run store's promises, one by one: one result per job, repeats counted, conflicts kept, failures stored nowhere. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../cli/store/run-store.js';
import type { IncomingMessage } from '../../../cli/store/types.js';
import { encodeResultMessage, type Result } from '../../../functions/wire/contract.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../cli/store/schema.js';
import { StorageError, UsageError } from '../../../functions/wire/errors.js';
import { scratchDir } from '../../helpers/scratch.js';

async function freshStore(): Promise<RunStore> {
  return RunStore.open({ path: join(await scratchDir('run-store-'), 'fanout.db') });
}

function newRun(store: RunStore, id = 'r-1', jobs = 3) {
  return store.createRun({
    id,
    task: 'square',
    target: { name: 'local', connection: 'endpoint', endpoint: 'http://127.0.0.1:1', stack: undefined },
    queues: { dispatched: 'http://127.0.0.1:1/q/d', deadLetter: 'http://127.0.0.1:1/q/dl' },
    inputs: { kind: 'count', count: jobs },
    jobsPerMessage: 1,
    jobs,
    dispatcher: { pid: process.pid, host: 'here' },
  });
}

/** An empty database as schema 1 made it, open for the test to fill as an old fanout did. */
async function schemaOneDatabase() {
  const path = join(await scratchDir('schema-1-'), 'fanout.db');
  const { DatabaseSync } = await import('node:sqlite');
  const old = new DatabaseSync(path);
  old.exec(MIGRATIONS[0]!);
  old.exec('PRAGMA user_version = 1');
  return { path, old };
}

const ok = (id: number, output: unknown = id * id): Result => ({ id, ok: true, output: output as never, started: 1, ms: 1 });
const message = (...results: Result[]): IncomingMessage => ({ messageId: `m-${results.map((r) => r.id).join('-')}`, origin: { worker: 'w', cold: false, attempt: 1 }, results });

describe('RunStore', () => {
  it('stores each job once, counts a repeat with the same outcome as a duplicate', async () => {
    // Prepare
    const store = await freshStore();
    newRun(store);
    // Act
    const first = store.recordBatch('r-1', [message(ok(0), ok(1))]);
    const again = store.recordBatch('r-1', [message(ok(1), ok(2))]);
    // Assess
    expect(first.fresh.map((r) => r.id)).toEqual([0, 1]);
    expect(again).toMatchObject({ duplicates: [1], conflicts: [] });
    expect(again.fresh.map((r) => r.id)).toEqual([2]);
    expect(store.requireRun('r-1').counts).toMatchObject({ done: 3, ok: 3, duplicates: 1, conflicts: 0 });
    expect([...store.results('r-1')].map((r) => [r.id, r.ok && r.output, r.duplicates])).toEqual([[0, 0, 0], [1, 1, 1], [2, 4, 0]]);
  });

  it('keeps a second, different result as a conflict, beside the first', async () => {
    // Prepare
    const store = await freshStore();
    newRun(store);
    store.recordBatch('r-1', [message(ok(0, 'forged'))]);
    // Act
    const outcome = store.recordBatch('r-1', [message(ok(0, 0))]);
    // Assess
    expect(outcome.conflicts).toEqual([{ job: 0, kept: { ok: true, output: 'forged' }, other: expect.objectContaining({ ok: true, output: 0, worker: 'w' }) }]);
    expect(store.requireRun('r-1').counts).toMatchObject({ done: 1, conflicts: 1 });
    expect(store.conflicts('r-1')).toHaveLength(1);
  });

  it('counts a repeated failure whose message holds lone surrogates as a duplicate, not a conflict', async () => {
    // Prepare: SQLite TEXT is UTF-8, where a lone surrogate would come back as U+FFFD (the store keeps it escaped).
    const store = await freshStore();
    newRun(store);
    const failure: Result = { id: 0, ok: false, error: { name: 'Error', message: '\ud800 lone \udfff' }, started: 1, ms: 1 };
    store.recordBatch('r-1', [message(failure)]);
    // Act
    const again = store.recordBatch('r-1', [message(failure)]);
    // Assess
    expect(again).toMatchObject({ duplicates: [0], conflicts: [] });
    expect(store.requireRun('r-1').counts).toMatchObject({ done: 1, duplicates: 1, conflicts: 0 });
    expect([...store.results('r-1')]).toMatchObject([{ id: 0, ok: false, error: { name: 'Error', message: '\ud800 lone \udfff' } }]);
  });

  it('keeps a conflict, or a malformed message, redelivered once: the repeat counts as a duplicate', async () => {
    // Prepare
    const store = await freshStore();
    newRun(store);
    store.recordBatch('r-1', [message(ok(0, 'first'))]);
    // Act: the same differing result twice; the same malformed message twice.
    const conflicts = [store.recordBatch('r-1', [message(ok(0, 'second'))]), store.recordBatch('r-1', [message(ok(0, 'second'))])];
    store.recordBatch('r-1', [], [{ messageId: 'bad', reason: 'r', body: 'x' }]);
    store.recordBatch('r-1', [], [{ messageId: 'bad', reason: 'r', body: 'x' }]);
    // Assess
    expect(conflicts.map((c) => [c.conflicts.length, c.duplicates.length])).toEqual([[1, 0], [0, 1]]);
    expect(store.requireRun('r-1').counts).toMatchObject({ conflicts: 1, duplicates: 1, quarantined: 1 });
  });

  it('keeps malformed messages whole in quarantine', async () => {
    const store = await freshStore();
    newRun(store);
    store.recordBatch('r-1', [], [{ messageId: 'bad', reason: 'not JSON', body: '{oops' }]);
    expect(store.quarantined('r-1')).toEqual([expect.objectContaining({ messageId: 'bad', reason: 'not JSON', body: '{oops' })]);
    expect(store.requireRun('r-1').counts.quarantined).toBe(1);
  });

  it('lists the missing jobs in order', async () => {
    const store = await freshStore();
    newRun(store, 'r-1', 10);
    store.recordBatch('r-1', [message(ok(0), ok(3), ok(4), ok(9))]);
    expect(store.missing('r-1', 10)).toEqual([1, 2, 5, 6, 7, 8]);
    expect(store.missing('r-1', 10, 2)).toEqual([1, 2]);
  });

  it('two connections (as two processes) storing the same results end with one per job', async () => {
    // Prepare
    const first = await freshStore();
    newRun(first, 'r-1', 100);
    const second = RunStore.open({ path: first.path });
    const all = Array.from({ length: 100 }, (_, i) => ok(i));
    // Act
    for (let i = 0; i < 100; i += 10) {
      first.recordBatch('r-1', [message(...all.slice(i, i + 10))]);
      second.recordBatch('r-1', [message(...all.slice(i, i + 10).reverse())]);
    }
    // Assess
    expect(second.requireRun('r-1').counts).toMatchObject({ done: 100, duplicates: 100, conflicts: 0 });
    expect([...first.results('r-1')]).toHaveLength(100);
  });

  it('lets one of two resumes of an interrupted dispatch take the run over, and refuses the other in one line', async () => {
    // Prepare: an interrupted run, and two connections (as two `dispatch --resume` processes).
    const first = await freshStore();
    newRun(first, 'r-1', 100);
    first.markInterrupted('r-1');
    const second = RunStore.open({ path: first.path });
    // Act: both saw it interrupted; the first claims it, then the second tries.
    first.resumeDispatch('r-1');
    const refused = (() => {
      try {
        second.resumeDispatch('r-1');
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    // Assess
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toBe(`run r-1 is being dispatched by process ${process.pid}: wait for it, or stop it first`);
    expect(second.requireRun('r-1')).toMatchObject({ state: 'dispatching', dispatcher: { pid: process.pid } });
  });

  it('fails if the disk is full: a StorageError naming the file, and nothing of the batch is stored', async () => {
    // Prepare: SQLite's own size limit stands in for a full disk.
    const store = await freshStore();
    newRun(store, 'r-1', 5000);
    const pages = (store.database.prepare('PRAGMA page_count').get() as { page_count: number }).page_count;
    store.database.exec(`PRAGMA max_page_count = ${pages + 2}`);
    const big = Array.from({ length: 5000 }, (_, i) => ok(i, 'x'.repeat(200)));
    // Act
    const attempt = () => store.recordBatch('r-1', [message(...big)]);
    // Assess
    expect(attempt).toThrow(StorageError);
    expect(attempt).toThrow(new RegExp(`cannot write the run store ${store.path.replace(/[.]/g, '\\.')}: the disk is full`));
    expect(store.requireRun('r-1').counts.done).toBe(0);
    expect([...store.results('r-1')]).toEqual([]);
    // And once there is room again, the same batch goes in.
    store.database.exec('PRAGMA max_page_count = 1073741823');
    expect(attempt().fresh).toHaveLength(5000);
  });

  it('fails if another process holds the write lock past the timeout', async () => {
    const holder = await freshStore();
    newRun(holder);
    const waiter = RunStore.open({ path: holder.path, busyTimeoutMs: 50 });
    holder.database.exec('BEGIN IMMEDIATE');
    try {
      expect(() => waiter.recordBatch('r-1', [message(ok(0))])).toThrow(/the database is locked by another process past the timeout/);
    } finally {
      holder.database.exec('ROLLBACK');
    }
    expect(waiter.recordBatch('r-1', [message(ok(0))]).fresh).toHaveLength(1);
  });

  it('refuses a database written by a newer fanout', async () => {
    const store = await freshStore();
    store.database.exec('PRAGMA user_version = 99');
    store.close();
    expect(() => RunStore.open({ path: store.path })).toThrow(new RegExp(`was written by a newer fanout \\(schema 99; this one reads up to ${SCHEMA_VERSION}\\)`));
  });

  it('reads a result back exactly from the message body it was stored with', async () => {
    // Prepare: the body as received (any surrogate in it escaped on the way in), and a job named twice.
    const store = await freshStore();
    newRun(store, 'r-1', 3);
    const results: Result[] = [ok(0, { a: [1, 'é'] }), { id: 1, ok: false, error: { name: 'E', message: 'lone \udc00 and 🙂' }, started: 2, ms: 3 }, ok(0, 'again')];
    const body = encodeResultMessage('r-1', results, { worker: 'w-1', cold: true, attempt: 2 });
    // Act
    const outcome = store.recordBatch('r-1', [{ messageId: 'm', origin: { worker: 'w-1', cold: true, attempt: 2 }, results, body }]);
    // Assess
    expect(outcome.fresh.map((r) => r.id)).toEqual([0, 1]);
    expect(outcome.conflicts.map((c) => c.job)).toEqual([0]);
    expect([...store.results('r-1')]).toEqual([
      { id: 0, ok: true, output: { a: [1, 'é'] }, started: 1, ms: 1, worker: 'w-1', attempt: 2, cold: true, receivedAt: expect.any(Number), duplicates: 0 },
      { id: 1, ok: false, error: { name: 'E', message: 'lone \udc00 and 🙂' }, started: 2, ms: 3, worker: 'w-1', attempt: 2, cold: true, receivedAt: expect.any(Number), duplicates: 0 },
    ]);
    expect(store.failures('r-1', 10).map((r) => r.id)).toEqual([1]);
    expect(store.conflicts('r-1')).toEqual([{ job: 0, kept: { ok: true, output: { a: [1, 'é'] } }, other: expect.objectContaining({ ok: true, output: 'again' }) }]);
  });

  it('counts a job a message names twice once, also when the two entries are 500 rows apart (two INSERT statements)', async () => {
    // Prepare: 600 entries for 599 jobs; job 3 again at entry 550, past the first 500-row statement
    const store = await freshStore();
    newRun(store, 'r-1', 599);
    const results = Array.from({ length: 599 }, (_, id) => ok(id));
    results.splice(550, 0, ok(3, 'again'));
    // Act
    const outcome = store.recordBatch('r-1', [{ ...message(), results }]);
    // Assess
    expect(outcome.fresh).toHaveLength(599);
    expect(outcome.conflicts.map((c) => c.job)).toEqual([3]);
    expect(store.requireRun('r-1').counts).toMatchObject({ done: 599, ok: 599, conflicts: 1 });
    expect([...store.results('r-1')][3]).toMatchObject({ id: 3, output: 9 });
  });

  it('keeps nothing of a message whose results were all stored before', async () => {
    const store = await freshStore();
    newRun(store);
    store.recordBatch('r-1', [message(ok(0), ok(1))]);
    store.recordBatch('r-1', [message(ok(1), ok(0))]);
    expect(store.database.prepare('SELECT count(*) AS n FROM result_messages').get()).toEqual({ n: 1 });
    expect(store.requireRun('r-1').counts).toMatchObject({ done: 2, duplicates: 2 });
  });

  it('reads the results a schema 1 store kept, after upgrading it', async () => {
    // Prepare: a store as schema 1 left it, one result in its columns.
    const { path, old } = await schemaOneDatabase();
    old
      .prepare(`INSERT INTO runs (id, task, state, target, connection, dispatched_queue, dead_letter_queue, inputs, jobs_per_message, jobs, created_at) VALUES ('r-1', 'square', 'dispatched', 'local', 'endpoint', 'd', 'dl', '{"kind":"count","count":3}', 1, 3, 1)`)
      .run();
    old
      .prepare(`INSERT INTO results (run, job, ok, output, error_name, error_message, started_at, ms, worker, attempt, cold, received_at) VALUES ('r-1', 0, 1, '9', NULL, NULL, 5, 1, 'w', 1, 0, 7), ('r-1', 1, 0, NULL, '"E"', '"\\ud800"', NULL, 2, NULL, NULL, NULL, 8)`)
      .run();
    old.close();
    // Act
    const store = RunStore.open({ path });
    const again = store.recordBatch('r-1', [message(ok(0, 9), ok(2))]);
    // Assess
    expect(again).toMatchObject({ duplicates: [0], conflicts: [] });
    expect([...store.results('r-1')]).toEqual([
      { id: 0, ok: true, output: 9, started: 5, ms: 1, worker: 'w', attempt: 1, cold: false, receivedAt: 7, duplicates: 1 },
      { id: 1, ok: false, error: { name: 'E', message: '\ud800' }, ms: 2, worker: undefined, attempt: undefined, cold: undefined, receivedAt: 8, duplicates: 0 },
      expect.objectContaining({ id: 2, ok: true, output: 4 }),
    ]);
  });

  it('after upgrading a schema 1 store: a job in two messages of one batch, a conflict with a schema 1 result, each redelivered', async () => {
    // Prepare: schema 1 kept job 0 (ok, 9) and a conflict for it (ok, "x")
    const { path, old } = await schemaOneDatabase();
    old
      .prepare(`INSERT INTO runs (id, task, state, target, connection, dispatched_queue, dead_letter_queue, inputs, jobs_per_message, jobs, created_at, done, ok, conflicts) VALUES ('r-1', 'square', 'dispatched', 'local', 'endpoint', 'd', 'dl', '{"kind":"count","count":3}', 1, 3, 1, 1, 1, 1)`)
      .run();
    old.prepare(`INSERT INTO results (run, job, ok, output, started_at, ms, received_at) VALUES ('r-1', 0, 1, '9', 5, 1, 7)`).run();
    old.prepare(`INSERT INTO conflicts (run, job, ok, output, ms, received_at) VALUES ('r-1', 0, 1, '"x"', 1, 7)`).run();
    old.close();
    const store = RunStore.open({ path });
    const failed = (id: number, text: string): Result => ({ id, ok: false, error: { name: 'E', message: text }, started: 1, ms: 1 });
    // Act: job 1 in two messages (different outcomes), job 0's known conflict again and a new one
    const first = store.recordBatch('r-1', [message(ok(1), ok(0, 'x')), message(failed(1, 'boom'), failed(0, 'new'))]);
    const again = store.recordBatch('r-1', [message(failed(1, 'boom'), ok(1), ok(0, 9))]);
    // Assess
    expect(first.fresh.map((r) => r.id)).toEqual([1]);
    expect(first.duplicates).toEqual([0]);
    expect(first.conflicts.map((c) => [c.job, c.kept])).toEqual([
      [1, { ok: true, output: 1 }],
      [0, { ok: true, output: 9 }],
    ]);
    expect(again).toMatchObject({ fresh: [], duplicates: [1, 1, 0], conflicts: [] });
    expect(store.requireRun('r-1').counts).toMatchObject({ done: 2, ok: 2, failed: 0, conflicts: 3, duplicates: 4 });
    expect([...store.results('r-1')].map((r) => [r.id, r.ok && r.output, r.duplicates])).toEqual([
      [0, 9, 2],
      [1, 1, 2],
    ]);
    expect(store.conflicts('r-1').map((c) => [c.job, c.other.ok ? c.other.output : c.other.error.message])).toEqual([
      [0, 'x'],
      [0, 'new'],
      [1, 'boom'],
    ]);
  });

  it('refuses a file that is not a database, in one line', async () => {
    const dir = await scratchDir('not-db-');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'fanout.db'), 'hello, not sqlite'.repeat(100));
    expect(() => RunStore.open({ path: join(dir, 'fanout.db') })).toThrow(/the file is not a fanout database/);
  });

  it('fails if a run id is malformed or unknown, in one line', async () => {
    const store = await freshStore();
    expect(() => store.requireRun('../../package')).toThrow(UsageError);
    expect(() => store.requireRun('../../package')).toThrow('--run must be a run id: 1-64 letters, digits, "-" or "_" (given "../../package")');
    expect(() => store.requireRun('r-nope')).toThrow(/no run r-nope in the run store/);
  });
});
