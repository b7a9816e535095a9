/**
 * The run store's tables, versioned with `PRAGMA user_version`. Each migration takes the schema
 * from one version to the next inside one transaction; a database from a newer fanout (a higher
 * version than any here) is refused rather than misread.
 */

export const SCHEMA_VERSION = 2;

/** migrations[n] takes a database at version n to version n + 1. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    task TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('dispatching', 'interrupted', 'dispatched', 'complete')),
    -- where its queues are: the target as named (local | aws | URL), the connection kind, the endpoint URL
    target TEXT NOT NULL,
    connection TEXT NOT NULL CHECK (connection IN ('aws', 'endpoint')),
    endpoint TEXT,
    stack TEXT,
    dispatched_queue TEXT NOT NULL,
    dead_letter_queue TEXT NOT NULL,
    results_queue TEXT,
    results_queue_deleted INTEGER NOT NULL DEFAULT 0,
    -- how to read the inputs again for --resume, and what they were (JSON)
    inputs TEXT NOT NULL,
    jobs_per_message INTEGER NOT NULL,
    -- known once dispatch has read every input
    jobs INTEGER,
    jobs_sent INTEGER NOT NULL DEFAULT 0,
    messages_sent INTEGER NOT NULL DEFAULT 0,
    -- bytes of the sent jobs' inputs as JSON, for the cost ledger
    input_bytes INTEGER NOT NULL DEFAULT 0,
    dispatcher_pid INTEGER,
    dispatcher_host TEXT,
    created_at INTEGER NOT NULL,
    dispatched_at INTEGER,
    completed_at INTEGER,
    done INTEGER NOT NULL DEFAULT 0,
    ok INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    quarantined INTEGER NOT NULL DEFAULT 0,
    -- SQS requests made by this run's dispatch and collect, by operation (JSON)
    requests TEXT NOT NULL DEFAULT '{"dispatch":{},"collect":{}}'
  ) STRICT;

  -- Every window of job messages SQS accepted, logged before the next window is sent.
  CREATE TABLE dispatch_log (
    run TEXT NOT NULL REFERENCES runs (id),
    first_job INTEGER NOT NULL,
    jobs INTEGER NOT NULL,
    messages INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (run, first_job)
  ) STRICT, WITHOUT ROWID;

  -- One result per job: the first one stored. Later ones count as duplicates, or as conflicts.
  CREATE TABLE results (
    run TEXT NOT NULL,
    job INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    output TEXT,
    error_name TEXT,
    error_message TEXT,
    started_at REAL,
    ms REAL NOT NULL,
    worker TEXT,
    attempt INTEGER,
    cold INTEGER,
    received_at INTEGER NOT NULL,
    duplicates INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run, job)
  ) STRICT, WITHOUT ROWID;

  -- A later result for a job whose content differs from the stored one: kept, never discarded.
  CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    run TEXT NOT NULL,
    job INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    output TEXT,
    error_name TEXT,
    error_message TEXT,
    started_at REAL,
    ms REAL NOT NULL,
    worker TEXT,
    attempt INTEGER,
    received_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX conflicts_by_job ON conflicts (run, job);

  -- Messages on a run's result queue that break the contract: stored whole, then deleted, reported once.
  CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    run TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    -- a message redelivered between commit and delete is kept (and reported) once
    UNIQUE (run, message_id)
  ) STRICT;
  `,
  // 2: a result message is stored once, as received (`result_messages`), and each job's row only
  // names it: storing a job costs one short row, not its output re-encoded in eight columns.
  // Results stored by schema 1 keep their own columns.
  `
  CREATE TABLE result_messages (
    id INTEGER PRIMARY KEY,
    run TEXT NOT NULL,
    worker TEXT,
    attempt INTEGER,
    cold INTEGER,
    received_at INTEGER NOT NULL,
    -- the message body as received (any surrogate escaped): JSON whose "results" array holds the entries
    body TEXT NOT NULL
  ) STRICT;

  CREATE TABLE results_2 (
    run TEXT NOT NULL,
    job INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    -- the result_messages row holding this job's entry; NULL for a result stored by schema 1, in the columns below
    message INTEGER,
    duplicates INTEGER NOT NULL DEFAULT 0,
    output TEXT,
    error_name TEXT,
    error_message TEXT,
    started_at REAL,
    ms REAL,
    worker TEXT,
    attempt INTEGER,
    cold INTEGER,
    received_at INTEGER,
    PRIMARY KEY (run, job)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO results_2 (run, job, ok, duplicates, output, error_name, error_message, started_at, ms, worker, attempt, cold, received_at)
    SELECT run, job, ok, duplicates, output, error_name, error_message, started_at, ms, worker, attempt, cold, received_at FROM results;
  DROP TABLE results;
  ALTER TABLE results_2 RENAME TO results;
  `,
];
