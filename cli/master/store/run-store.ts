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
import type { Result } from '../../../functions/wire/contract.js';
import { isRunId } from '../../../functions/wire/contract.js';
import { UsageError } from '../../../functions/wire/errors.js';
import { fanoutHome } from '../../home.js';
import { openDatabase, storageError, transaction, type DatabaseOptions } from './database.js';
import { toRunRecord, toStoredResult, type RunRow } from './rows.js';
import { text, untext } from './text-column.js';
import type { BatchOutcome, Conflict, IncomingMessage, MalformedMessage, NewRun, RequestCounts, RunRecord, StoredResult } from './types.js';

export type RunStoreOptions = DatabaseOptions & {
  /** The database file. @default - `fanout.db` in the fanout home (FANOUT_HOME, else ./.fanout) */
  path?: string;
};

/** Rows per INSERT statement: few statements per batch, and well under SQLite's bound-parameter limit. */
const INSERT_ROWS = 100;

/** The store's file under a fanout home. */
export function storePath(home = fanoutHome()): string {
  return join(home, 'fanout.db');
}

export class RunStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  #closed = false;

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
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

  /** A resumed dispatch takes the run over. */
  resumeDispatch(id: string): void {
    transaction(this.#db, this.path, () =>
      this.#statement("UPDATE runs SET state = 'dispatching', dispatcher_pid = ?, dispatcher_host = ? WHERE id = ?").run(process.pid, hostname(), id),
    );
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
   */
  recordBatch(id: string, messages: readonly IncomingMessage[], malformed: readonly MalformedMessage[] = []): BatchOutcome {
    const now = Date.now();
    return transaction(this.#db, this.path, () => {
      const outcome: BatchOutcome = { fresh: [], duplicates: [], conflicts: [], quarantined: 0 };
      let ok = 0;
      for (const message of messages) {
        const { worker, attempt, cold } = message.origin;
        const origin = [worker ?? null, attempt ?? null, cold === undefined ? null : cold ? 1 : 0, now] as const;
        for (let start = 0; start < message.results.length; start += INSERT_ROWS) {
          const chunk = message.results.slice(start, start + INSERT_ROWS);
          const outputs = chunk.map((result) => (result.ok ? JSON.stringify(result.output) : null));
          const params: SQLInputValue[] = [];
          for (const [i, result] of chunk.entries()) {
            params.push(id, result.id, result.ok ? 1 : 0, outputs[i]!, result.ok ? null : text(result.error.name), result.ok ? null : text(result.error.message), result.started ?? null, result.ms, ...origin);
          }
          // One statement for many rows; RETURNING says which went in (the rest repeat a stored job).
          const inserted = new Set((this.#insertRows(chunk.length).all(...params) as Array<{ job: number }>).map((row) => row.job));
          for (const [i, result] of chunk.entries()) {
            if (inserted.delete(result.id)) {
              outcome.fresh.push(result);
              if (result.ok) ok++;
              continue;
            }
            const conflict = this.#compare(id, result, outputs[i]!, message, now);
            if (conflict) outcome.conflicts.push(conflict);
            else outcome.duplicates.push(result.id);
          }
        }
      }
      const quarantine = this.#statement('INSERT INTO quarantine (run, message_id, reason, body, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run, message_id) DO NOTHING');
      for (const bad of malformed) outcome.quarantined += Number(quarantine.run(id, bad.messageId, bad.reason, bad.body, now).changes);
      this.#statement(
        'UPDATE runs SET done = done + ?, ok = ok + ?, failed = failed + ?, duplicates = duplicates + ?, conflicts = conflicts + ?, quarantined = quarantined + ? WHERE id = ?',
      ).run(outcome.fresh.length, ok, outcome.fresh.length - ok, outcome.duplicates.length, outcome.conflicts.length, outcome.quarantined, id);
      return outcome;
    });
  }

  #insertRows(rows: number): StatementSync {
    const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    return this.#statement(
      `INSERT INTO results (run, job, ok, output, error_name, error_message, started_at, ms, worker, attempt, cold, received_at) VALUES ${values} ON CONFLICT (run, job) DO NOTHING RETURNING job`,
    );
  }

  /** A repeat of a stored job's result: a plain duplicate (same outcome), or a conflict (kept). */
  #compare(id: string, result: Result, output: string | null, message: IncomingMessage, now: number): Conflict | undefined {
    const stored = this.#statement('SELECT ok, output, error_name, error_message FROM results WHERE run = ? AND job = ?').get(id, result.id) as {
      ok: number;
      output: string | null;
      error_name: string | null;
      error_message: string | null;
    };
    const same = result.ok
      ? stored.ok === 1 && stored.output === output
      : stored.ok === 0 && stored.error_name === text(result.error.name) && stored.error_message === text(result.error.message);
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
      kept: stored.ok === 1 ? { ok: true, output: JSON.parse(stored.output ?? 'null') } : { ok: false, error: { name: untext(stored.error_name), message: untext(stored.error_message) } },
      other: { ...(result.ok ? { ok: true as const, output: result.output } : { ok: false as const, error: result.error }), worker, attempt, receivedAt: now },
    };
  }

  /** A run's stored results in job order, one at a time (a run may hold millions). */
  *results(id: string): Generator<StoredResult> {
    const rows = this.#read(() => this.#statement('SELECT * FROM results WHERE run = ? ORDER BY job').iterate(id));
    for (const row of rows) yield toStoredResult(row as never);
  }

  /** The run's first `limit` failed results, in job order. */
  failures(id: string, limit: number): StoredResult[] {
    const rows = this.#read(() => this.#statement('SELECT * FROM results WHERE run = ? AND ok = 0 ORDER BY job LIMIT ?').all(id, limit));
    return rows.map((row) => toStoredResult(row as never));
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
      this.#statement(
        `SELECT c.job, c.ok, c.output, c.error_name, c.error_message, c.worker, c.attempt, c.received_at,
                r.ok AS kept_ok, r.output AS kept_output, r.error_name AS kept_error_name, r.error_message AS kept_error_message
         FROM conflicts c JOIN results r ON r.run = c.run AND r.job = c.job WHERE c.run = ? ORDER BY c.job, c.id`,
      ).all(id),
    ) as Array<Record<string, string | number | null>>;
    return rows.map((row) => ({
      job: row.job as number,
      kept: row.kept_ok === 1 ? { ok: true, output: JSON.parse((row.kept_output as string) ?? 'null') } : { ok: false, error: { name: untext(row.kept_error_name as string), message: untext(row.kept_error_message as string) } },
      other: {
        ...(row.ok === 1 ? { ok: true as const, output: JSON.parse((row.output as string) ?? 'null') } : { ok: false as const, error: { name: untext(row.error_name as string), message: untext(row.error_message as string) } }),
        worker: (row.worker as string | null) ?? undefined,
        attempt: (row.attempt as number | null) ?? undefined,
        receivedAt: row.received_at as number,
      },
    }));
  }

  /** The run's quarantined messages, oldest first. */
  quarantined(id: string): Array<MalformedMessage & { receivedAt: number }> {
    const rows = this.#read(() => this.#statement('SELECT message_id, reason, body, received_at FROM quarantine WHERE run = ? ORDER BY id').all(id)) as Array<Record<string, string | number>>;
    return rows.map((row) => ({ messageId: String(row.message_id), reason: String(row.reason), body: String(row.body), receivedAt: Number(row.received_at) }));
  }
}
