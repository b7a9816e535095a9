/**
 * The run store: every run dispatched from this directory, what was sent, and each job's one
 * result. One SQLite database (`.fanout/fanout.db`, or under FANOUT_HOME), shared safely by any
 * number of collectors and dispatchers in any number of processes: a job's result is its row's
 * primary key (run, job), so it is stored once whoever receives it, and a batch of results is
 * stored in one transaction before any of its messages is deleted from the queue.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { Result } from '../../functions/wire/contract.js';
import { isRunId } from '../../functions/wire/contract.js';
import { UsageError } from '../../functions/wire/errors.js';
import { fanoutHome } from '../home.js';
import { openDatabase, storageError, transaction, type DatabaseOptions } from './database.js';
import { MessageReader, storedBody } from './result-messages.js';
import { toRunRecord, toStoredResult, type ResultRow, type RunRow } from './rows.js';
import { dispatchStopped } from './run-state.js';
import { text, untext } from './text-column.js';
import type { BatchOutcome, Conflict, IncomingMessage, MalformedMessage, NewRun, Outcome, RequestCounts, RunRecord, StoredResult } from './types.js';

export type RunStoreOptions = DatabaseOptions & {
  /** The database file. @default - `fanout.db` in the fanout home (FANOUT_HOME, else ./.fanout) */
  path?: string;
};

/** Rows per INSERT statement: few statements per batch (a message of 400 jobs takes one), well under SQLite's bound-parameter limit. */
const INSERT_ROWS = 500;

/** The store's file under a fanout home. */
export function storePath(home = fanoutHome()): string {
  return join(home, 'fanout.db');
}

export class RunStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #inserts = new Map<number, StatementSync>();
  readonly #messages: MessageReader;
  #closed = false;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
    this.#messages = new MessageReader(db);
  }

  static open(options: RunStoreOptions = {}): RunStore {
    const path = options.path ?? storePath();
    return new RunStore(path, openDatabase(path, options));
  }

  /** For tests and tools that need SQLite itself (a size limit, a held lock). */
  get database(): DatabaseSync {
    return this.#db;
  }

  /** Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#db.prepare(sql)));
    return statement;
  }

  #read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw storageError(error, this.path);
    }
  }

  // ── runs ──────────────────────────────────────────────────────────────

  createRun(run: NewRun): RunRecord {
    transaction(this.#db, this.path, () => {
      this.#statement(
        `INSERT INTO runs (id, task, state, target, connection, endpoint, stack, dispatched_queue, dead_letter_queue, inputs, jobs_per_message, jobs, dispatcher_pid, dispatcher_host, created_at)
         VALUES (?, ?, 'dispatching', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        run.id,
        run.task,
        run.target.name,
        run.target.connection,
        run.target.endpoint ?? null,
        run.target.stack ?? null,
        run.queues.dispatched,
        run.queues.deadLetter,
        JSON.stringify(run.inputs),
        run.jobsPerMessage,
        run.jobs ?? null,
        run.dispatcher.pid,
        run.dispatcher.host,
        Date.now(),
      );
    });
    return this.requireRun(run.id);
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.#read(() => this.#statement('SELECT * FROM runs WHERE id = ?').get(id)) as RunRow | undefined;
    return row && toRunRecord(row);
  }

  /** The run `id`, checked against the contract's rule; a one-line UsageError if malformed or unknown. */
  requireRun(id: string): RunRecord {
    if (!isRunId(id)) throw new UsageError(`--run must be a run id: 1-64 letters, digits, "-" or "_" (given ${JSON.stringify(id)})`);
    const run = this.getRun(id);
    if (!run) throw new UsageError(`no run ${id} in the run store ${this.path}: \`fanout runs\` lists the runs here`);
    return run;
  }

  /** The newest run, or undefined in an empty store. */
  latestRun(): RunRecord | undefined {
    const row = this.#read(() => this.#statement('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT 1').get()) as RunRow | undefined;
    return row && toRunRecord(row);
  }

  /** Runs, newest first. */
  listRuns(limit = 1000): RunRecord[] {
    const rows = this.#read(() => this.#statement('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit)) as unknown as RunRow[];
    return rows.map(toRunRecord);
  }

  setResultsQueue(id: string, url: string): void {
    transaction(this.#db, this.path, () => this.#statement('UPDATE runs SET results_queue = ? WHERE id = ?').run(url, id));
  }

  /** Records that SQS accepted `messages` messages holding jobs [firstJob, firstJob + jobs): the next window may go. */
  logSent(id: string, window: { firstJob: number; jobs: number; messages: number; inputBytes?: number }): void {
    transaction(this.#db, this.path, () => {
      this.#statement('INSERT INTO dispatch_log (run, first_job, jobs, messages, sent_at) VALUES (?, ?, ?, ?, ?)').run(id, window.firstJob, window.jobs, window.messages, Date.now());
      this.#statement('UPDATE runs SET jobs_sent = ?, messages_sent = messages_sent + ?, input_bytes = input_bytes + ? WHERE id = ?').run(window.firstJob + window.jobs, window.messages, window.inputBytes ?? 0, id);
    });
  }

  /** Every input was read and sent: the run's size is final. */
  finishDispatch(id: string, jobs: number): void {
    transaction(this.#db, this.path, () =>
      this.#statement("UPDATE runs SET state = 'dispatched', jobs = ?, dispatched_at = ?, dispatcher_pid = NULL WHERE id = ?").run(jobs, Date.now(), id),
    );
  }

  /** Dispatch stopped before sending everything (Ctrl-C, a failed send): `dispatch --resume` goes on. */
  markInterrupted(id: string): void {
    transaction(this.#db, this.path, () => this.#statement("UPDATE runs SET state = 'interrupted', dispatcher_pid = NULL WHERE id = ? AND state = 'dispatching'").run(id));
  }

  /**
   * A resumed dispatch takes the run over, unless a live process is dispatching it: checked and
   * taken in one write transaction, so of two resumes started at once exactly one goes on.
   */
  resumeDispatch(id: string): void {
    transaction(this.#db, this.path, () => {
      const record = this.requireRun(id);
      if (record.state === 'dispatching' && !dispatchStopped(record)) {
        throw new UsageError(`run ${id} is being dispatched by process ${record.dispatcher?.pid ?? '?'}: wait for it, or stop it first`);
      }
      this.#statement("UPDATE runs SET state = 'dispatching', dispatcher_pid = ?, dispatcher_host = ? WHERE id = ?").run(process.pid, hostname(), id);
    });
  }

  markComplete(id: string): void {
    transaction(this.#db, this.path, () => this.#statement("UPDATE runs SET state = 'complete', completed_at = coalesce(completed_at, ?) WHERE id = ?").run(Date.now(), id));
  }

  markResultsQueueDeleted(id: string): void {
    transaction(this.#db, this.path, () => this.#statement('UPDATE runs SET results_queue_deleted = 1 WHERE id = ?').run(id));
  }

  /** Adds the SQS requests a role made for this run. */
  addRequests(id: string, role: keyof RequestCounts, counts: ReadonlyMap<string, number>): void {
    if (counts.size === 0) return;
    transaction(this.#db, this.path, () => {
      const run = this.getRun(id);
      if (!run) return;
      const merged = { ...run.requests[role] };
      for (const [operation, n] of counts) merged[operation] = (merged[operation] ?? 0) + n;
      this.#statement('UPDATE runs SET requests = ? WHERE id = ?').run(JSON.stringify({ ...run.requests, [role]: merged }), id);
    });
  }

  // ── results ───────────────────────────────────────────────────────────

  /**
   * Stores one received batch in one transaction: each job's first result; a repeat with the
   * same outcome counted as a duplicate; one with a different outcome kept as a conflict;
   * malformed messages kept whole in quarantine. Throws StorageError (nothing stored) on failure.
   *
   * Each message is stored once, as received, and each job as a short row naming it; the job's
   * primary key keeps its first result, whoever stores it.
   */
  recordBatch(id: string, messages: readonly IncomingMessage[], malformed: readonly MalformedMessage[] = []): BatchOutcome {
    const now = Date.now();
    try {
      return this.#recordBatch(id, messages, malformed, now);
    } catch (error) {
      // A message read within the rolled-back transaction may not exist (its id will be given again).
      this.#messages.clear();
      throw error;
    }
  }

  #recordBatch(id: string, messages: readonly IncomingMessage[], malformed: readonly MalformedMessage[], now: number): BatchOutcome {
    return transaction(this.#db, this.path, () => {
      const outcome: BatchOutcome = { fresh: [], duplicates: [], conflicts: [], quarantined: 0 };
      let ok = 0;
      for (const message of messages) {
        const { worker, attempt, cold } = message.origin;
        const stored = this.#statement('INSERT INTO result_messages (run, worker, attempt, cold, received_at, body) VALUES (?, ?, ?, ?, ?, ?)').run(
          id,
          worker ?? null,
          attempt ?? null,
          cold === undefined ? null : cold ? 1 : 0,
          now,
          storedBody(message),
        );
        const messageRow = Number(stored.lastInsertRowid);
        const results = message.results;
        let kept = 0;
        for (let start = 0; start < results.length; start += INSERT_ROWS) {
          const end = Math.min(results.length, start + INSERT_ROWS);
          const params: SQLInputValue[] = new Array((end - start) * 4);
          for (let i = start, p = 0; i < end; i++) {
            const result = results[i]!;
            params[p++] = id;
            params[p++] = result.id;
            params[p++] = result.ok ? 1 : 0;
            params[p++] = messageRow;
          }
          const inserted = Number(this.#insertRows(end - start).run(...params).changes);
          kept += inserted;
          if (inserted === end - start) {
            // The common case: every job of the chunk is new.
            for (let i = start; i < end; i++) {
              const result = results[i]!;
              outcome.fresh.push(result);
              if (result.ok) ok++;
            }
            continue;
          }
          // Some repeat a stored job (or the message names a job twice): ours are the rows naming this message, once each.
          const ours = this.#rowsOf(id, messageRow, results, start, end);
          for (let i = start; i < end; i++) {
            const result = results[i]!;
            if (ours.delete(result.id)) {
              outcome.fresh.push(result);
              if (result.ok) ok++;
              continue;
            }
            const conflict = this.#compare(id, result, message, now);
            if (conflict) outcome.conflicts.push(conflict);
            else outcome.duplicates.push(result.id);
          }
        }
        // A message that brought nothing new is not kept (its repeats are counted, its conflicts kept apart).
        if (kept === 0) this.#statement('DELETE FROM result_messages WHERE id = ?').run(messageRow);
      }
      const quarantine = this.#statement('INSERT INTO quarantine (run, message_id, reason, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run, message_id) DO NOTHING');
      for (const bad of malformed) outcome.quarantined += Number(quarantine.run(id, bad.messageId, bad.reason, bad.body, now).changes);
      this.#statement(
        'UPDATE runs SET done = done + ?, ok = ok + ?, failed = failed + ?, duplicates = duplicates + ?, conflicts = conflicts + ?, quarantined = quarantined + ? WHERE id = ?',
      ).run(outcome.fresh.length, ok, outcome.fresh.length - ok, outcome.duplicates.length, outcome.conflicts.length, outcome.quarantined, id);
      return outcome;
    });
  }

  /** One statement for `rows` rows; a prepared statement per size, kept. */
  #insertRows(rows: number): StatementSync {
    let statement = this.#inserts.get(rows);
    if (!statement) {
      const values = Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ');
      this.#inserts.set(rows, (statement = this.#db.prepare(`INSERT INTO results (run, job, ok, message) VALUES ${values} ON CONFLICT (run, job) DO NOTHING`)));
    }
    return statement;
  }

  /** The job ids among results[start, end) whose stored row names message `messageRow` and was stored by this statement (not by an earlier entry). */
  #rowsOf(id: string, messageRow: number, results: readonly Result[], start: number, end: number): Set<number> {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      low = Math.min(low, results[i]!.id);
      high = Math.max(high, results[i]!.id);
    }
    const rows = this.#statement('SELECT job FROM results WHERE run = ? AND job BETWEEN ? AND ? AND message = ?').all(id, low, high, messageRow) as Array<{ job: number }>;
    const ours = new Set(rows.map((row) => row.job));
    // A job the message named in an earlier statement was stored by that one (its first entry):
    // here it is a repeat, not new again.
    for (let i = 0; i < start && ours.size > 0; i++) ours.delete(results[i]!.id);
    return ours;
  }

  /** The outcome a row of `results` stores, from its message or its own columns. */
  #storedOutcome(row: ResultRow): Outcome {
    const stored = toStoredResult(row, this.#messages);
    return stored.ok ? { ok: true, output: stored.output } : { ok: false, error: stored.error };
  }

  /** A repeat of a stored job's result: a plain duplicate (same outcome), or a conflict (kept). */
  #compare(id: string, result: Result, message: IncomingMessage, now: number): Conflict | undefined {
    const row = this.#statement('SELECT * FROM results WHERE run = ? AND job = ?').get(id, result.id) as ResultRow;
    const kept = this.#storedOutcome(row);
    const output = result.ok ? JSON.stringify(result.output) : null;
    const same = result.ok
      ? kept.ok && JSON.stringify(kept.output) === output
      : !kept.ok && kept.error.name === result.error.name && kept.error.message === result.error.message;
    const errorName = result.ok ? null : text(result.error.name);
    const errorMessage = result.ok ? null : text(result.error.message);
    // A repeat of a conflict already kept (its message redelivered) is a duplicate, not a second conflict.
    const known =
      !same &&
      this.#statement('SELECT 1 FROM conflicts WHERE run = ? AND job = ? AND ok = ? AND output IS ? AND error_name IS ? AND error_message IS ? LIMIT 1').get(
        id,
        result.id,
        result.ok ? 1 : 0,
        output,
        errorName,
        errorMessage,
      ) !== undefined;
    if (same || known) {
      this.#statement('UPDATE results SET duplicates = duplicates + 1 WHERE run = ? AND job = ?').run(id, result.id);
      return undefined;
    }
    const { worker, attempt } = message.origin;
    this.#statement(
      `INSERT INTO conflicts (run, job, ok, output, error_name, error_message, started_at, ms, worker, attempt, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, result.id, result.ok ? 1 : 0, output, errorName, errorMessage, result.started ?? null, result.ms, worker ?? null, attempt ?? null, now);
    return {
      job: result.id,
      kept,
      other: { ...(result.ok ? { ok: true as const, output: result.output } : { ok: false as const, error: result.error }), worker, attempt, receivedAt: now },
    };
  }

  /** A run's stored results in job order, one at a time (a run may hold millions). */
  *results(id: string): Generator<StoredResult> {
    const rows = this.#read(() => this.#statement('SELECT * FROM results WHERE run = ? ORDER BY job').iterate(id));
    for (const row of rows) yield this.#read(() => toStoredResult(row as ResultRow, this.#messages));
  }

  /** The run's first `limit` failed results, in job order. */
  failures(id: string, limit: number): StoredResult[] {
    const rows = this.#read(() => this.#statement('SELECT * FROM results WHERE run = ? AND ok = 0 ORDER BY job LIMIT ?').all(id, limit));
    return this.#read(() => rows.map((row) => toStoredResult(row as ResultRow, this.#messages)));
  }

  /** Job ids in [0, jobs) with no stored result, in order; at most `limit` of them. */
  missing(id: string, jobs: number, limit = Number.POSITIVE_INFINITY): number[] {
    const ids: number[] = [];
    let next = 0;
    const rows = this.#read(() => this.#statement('SELECT job FROM results WHERE run = ? AND job < ? ORDER BY job').iterate(id, jobs));
    for (const row of rows) {
      const job = (row as { job: number }).job;
      for (; next < job && ids.length < limit; next++) ids.push(next);
      next = job + 1;
      if (ids.length >= limit) return ids;
    }
    for (; next < jobs && ids.length < limit; next++) ids.push(next);
    return ids;
  }

  /** Whether job `job` of run `id` has a stored result. */
  has(id: string, job: number): boolean {
    return this.#read(() => this.#statement('SELECT 1 FROM results WHERE run = ? AND job = ?').get(id, job)) !== undefined;
  }

  /** Every conflict recorded for the run, with the kept outcome beside each. */
  conflicts(id: string): Conflict[] {
    const rows = this.#read(() =>
      this.#statement('SELECT job, ok, output, error_name, error_message, worker, attempt, received_at FROM conflicts WHERE run = ? ORDER BY job, id').all(id),
    ) as Array<Record<string, string | number | null>>;
    return this.#read(() =>
      rows.map((row) => ({
        job: row.job as number,
        kept: this.#storedOutcome(this.#statement('SELECT * FROM results WHERE run = ? AND job = ?').get(id, row.job as number) as ResultRow),
        other: {
          ...(row.ok === 1 ? { ok: true as const, output: JSON.parse((row.output as string) ?? 'null') } : { ok: false as const, error: { name: untext(row.error_name as string), message: untext(row.error_message as string) } }),
          worker: (row.worker as string | null) ?? undefined,
          attempt: (row.attempt as number | null) ?? undefined,
          receivedAt: row.received_at as number,
        },
      })),
    );
  }

  /** The run's quarantined messages, oldest first. */
  quarantined(id: string): Array<MalformedMessage & { receivedAt: number }> {
    const rows = this.#read(() => this.#statement('SELECT message_id, reason, body, received_at FROM quarantine WHERE run = ? ORDER BY id').all(id)) as Array<Record<string, string | number>>;
    return rows.map((row) => ({ messageId: String(row.message_id), reason: String(row.reason), body: String(row.body), receivedAt: Number(row.received_at) }));
  }
}
