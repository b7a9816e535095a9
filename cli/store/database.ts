/**
 * Opening the run store's SQLite database (node:sqlite, built into Node): WAL, so collectors in
 * other processes read while one writes; `synchronous = FULL`, so a commit survives power loss
 * before anything is deleted from a queue; a busy timeout, so writers queue instead of failing.
 * Every SQLite failure becomes a StorageError that names the cause and the file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { StorageError, UsageError } from '../../functions/wire/errors.js';
import { loadSqlite } from './load-sqlite.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export type DatabaseOptions = {
  /** How long a writer waits for another process's transaction, in ms. @default 10000 */
  busyTimeoutMs?: number;
  /**
   * Largest size the database may grow to, in bytes: past it, writes fail as on a full disk (exit 4,
   * nothing deleted from a queue). @default - FANOUT_STORE_MAX_BYTES, else no limit but the disk's
   */
  maxBytes?: number;
};

/** The environment variable that caps the run store's size (a quota, or a full disk rehearsed). */
export const STORE_MAX_BYTES_ENV = 'FANOUT_STORE_MAX_BYTES';

/** SQLite's primary result codes that mean "this machine's storage", by what to tell the user. */
const CAUSES: Record<number, string> = {
  5: 'the database is locked by another process past the timeout',
  6: 'the database is locked',
  8: 'the database is read-only',
  10: 'a disk I/O error',
  11: 'the database file is corrupt',
  13: 'the disk is full (or the database reached its size limit)',
  14: 'the database file cannot be opened',
  26: 'the file is not a fanout database',
};

/** A StorageError for `error` met on the database at `path`; other errors pass through. */
export function storageError(error: unknown, path: string): Error {
  if (error instanceof StorageError) return error;
  const e = error as { code?: string; errcode?: number; errstr?: string; message?: string };
  if (e?.code === 'ERR_SQLITE_ERROR' || typeof e?.errcode === 'number') {
    const primary = (e.errcode ?? 1) & 0xff;
    const cause = CAUSES[primary] ?? `SQLite error ${e.errcode}: ${e.errstr ?? e.message ?? ''}`.trim();
    return new StorageError(`cannot write the run store ${path}: ${cause}; nothing was lost — run again once it is fixed`, { cause: error });
  }
  const fsCode = (error as NodeJS.ErrnoException)?.code;
  if (fsCode === 'EEXIST' || fsCode === 'ENOTDIR') {
    // A file where a directory must be (FANOUT_HOME, or .fanout, is a file): running again cannot help.
    return new UsageError(`cannot open the run store ${path}: a file is in the way of its directory ${dirname(path)}: move it, or set FANOUT_HOME to a directory`, { cause: error });
  }
  if (fsCode && /^E[A-Z]+$/.test(fsCode)) {
    return new StorageError(`cannot open the run store ${path}: ${fsCode}; nothing was lost — run again once it is fixed`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function openDatabase(path: string, options: DatabaseOptions = {}): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { DatabaseSync } = loadSqlite();
    db = new DatabaseSync(path);
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 10_000))}`);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db, path);
    const maxBytes = options.maxBytes ?? maxBytesFromEnv();
    if (maxBytes !== undefined) {
      const pageSize = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size;
      db.exec(`PRAGMA max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`);
    }
    return db;
  } catch (error) {
    db?.close();
    throw storageError(error, path);
  }
}

function maxBytesFromEnv(): number | undefined {
  const text = process.env[STORE_MAX_BYTES_ENV];
  if (!text) return undefined;
  const bytes = Number(text);
  if (!Number.isSafeInteger(bytes) || bytes < 4096) throw new StorageError(`${STORE_MAX_BYTES_ENV} must be a whole number of bytes, at least 4096 (given ${JSON.stringify(text)})`);
  return bytes;
}

function migrate(db: DatabaseSync, path: string): void {
  const version = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  if (version > SCHEMA_VERSION) {
    throw new StorageError(`the run store ${path} was written by a newer fanout (schema ${version}; this one reads up to ${SCHEMA_VERSION}): upgrade fanout, or use another FANOUT_HOME`);
  }
  for (let at = version; at < SCHEMA_VERSION; at++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated while we waited for the lock.
      const now = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
      if (now === at) {
        db.exec(MIGRATIONS[at]!);
        db.exec(`PRAGMA user_version = ${at + 1}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** Runs `work` in one write transaction; rolls back and throws a StorageError if anything fails. */
export function transaction<T>(db: DatabaseSync, path: string, work: () => T): T {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    throw storageError(error, path);
  }
  try {
    const value = work();
    db.exec('COMMIT');
    return value;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // SQLite rolled back already (a failed COMMIT can), or the connection is unusable: the original error says why
    }
    throw storageError(error, path);
  }
}
