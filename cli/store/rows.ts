/** Rows of the run store's tables → the master's records. */
import type { Result } from '../../functions/wire/contract.js';
import type { MessageReader } from './result-messages.js';
import { untext } from './text-column.js';
import type { InputsSpec, RequestCounts, RunRecord, RunState, StoredResult } from './types.js';

export type RunRow = {
  id: string;
  task: string;
  state: RunState;
  target: string;
  connection: 'aws' | 'endpoint';
  endpoint: string | null;
  stack: string | null;
  dispatched_queue: string;
  dead_letter_queue: string;
  results_queue: string | null;
  results_queue_deleted: number;
  inputs: string;
  jobs_per_message: number;
  jobs: number | null;
  jobs_sent: number;
  messages_sent: number;
  input_bytes: number;
  dispatcher_pid: number | null;
  dispatcher_host: string | null;
  created_at: number;
  dispatched_at: number | null;
  completed_at: number | null;
  done: number;
  ok: number;
  failed: number;
  duplicates: number;
  conflicts: number;
  quarantined: number;
  requests: string;
};

export function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    task: row.task,
    state: row.state,
    target: { name: row.target, connection: row.connection, endpoint: row.endpoint ?? undefined, stack: row.stack ?? undefined },
    queues: { dispatched: row.dispatched_queue, deadLetter: row.dead_letter_queue, results: row.results_queue ?? undefined },
    resultsQueueDeleted: row.results_queue_deleted === 1,
    inputs: JSON.parse(row.inputs) as InputsSpec,
    jobsPerMessage: row.jobs_per_message,
    jobs: row.jobs ?? undefined,
    jobsSent: row.jobs_sent,
    messagesSent: row.messages_sent,
    inputBytes: row.input_bytes,
    dispatcher: row.dispatcher_pid === null ? undefined : { pid: row.dispatcher_pid, host: row.dispatcher_host ?? '' },
    createdAt: row.created_at,
    dispatchedAt: row.dispatched_at ?? undefined,
    completedAt: row.completed_at ?? undefined,
    counts: { done: row.done, ok: row.ok, failed: row.failed, duplicates: row.duplicates, conflicts: row.conflicts, quarantined: row.quarantined },
    requests: JSON.parse(row.requests) as RequestCounts,
  };
}

/** A row of `results`: a job naming its stored message (schema 2), or holding its result in columns (schema 1). */
export type ResultRow = {
  job: number;
  ok: number;
  message: number | null;
  duplicates: number;
  output: string | null;
  error_name: string | null;
  error_message: string | null;
  started_at: number | null;
  ms: number | null;
  worker: string | null;
  attempt: number | null;
  cold: number | null;
  received_at: number | null;
};

/** A job's stored result, its entry read from its message (through `reader`) or from its own columns. */
export function toStoredResult(row: ResultRow, reader: MessageReader): StoredResult {
  if (row.message !== null) {
    const { message, result } = reader.entry(row.message, row.job);
    const base: Result = result.ok
      ? { id: row.job, ok: true, output: result.output, ms: result.ms }
      : { id: row.job, ok: false, error: { name: result.error.name, message: result.error.message }, ms: result.ms };
    return {
      ...base,
      ...(result.started !== undefined && { started: result.started }),
      worker: message.worker,
      attempt: message.attempt,
      cold: message.cold,
      receivedAt: message.receivedAt,
      duplicates: row.duplicates,
    };
  }
  const base: Result =
    row.ok === 1
      ? { id: row.job, ok: true, output: JSON.parse(row.output ?? 'null'), ms: row.ms ?? 0 }
      : { id: row.job, ok: false, error: { name: untext(row.error_name), message: untext(row.error_message) }, ms: row.ms ?? 0 };
  return {
    ...base,
    ...(row.started_at !== null && { started: row.started_at }),
    worker: row.worker ?? undefined,
    attempt: row.attempt ?? undefined,
    cold: row.cold === null ? undefined : row.cold === 1,
    receivedAt: row.received_at ?? 0,
    duplicates: row.duplicates,
  };
}
