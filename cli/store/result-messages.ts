/**
 * Result messages as the run store keeps them: each message once, its body as received, and one
 * short row per job naming the message (schema 2). Storing a batch then costs a row per job and
 * a body per message, instead of every output parsed and encoded again; reading a job's result
 * parses its message's body, once for all the jobs it holds.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Result } from '../../functions/wire/contract.js';
import { sendable } from '../../functions/wire/json.js';
import type { IncomingMessage, Origin } from './types.js';

/** A stored message's origin and its results by job id (the first entry of a job, should it appear twice). */
export type StoredMessage = Origin & { receivedAt: number; entries: Map<number, Result> };

/** Parsed messages kept while reading: results are read in job order, a message's jobs mostly one after another. */
const CACHED_MESSAGES = 16;

/** The text a message is stored as: its body as received, or its results as JSON when there is no body. */
export function storedBody(message: IncomingMessage): string {
  // A surrogate can only sit inside a JSON string, where its \u escape means the same; raw, SQLite's
  // UTF-8 would turn a lone one into U+FFFD.
  return sendable(message.body ?? JSON.stringify({ results: message.results }));
}

/** Reads stored messages by id, keeping the last few parsed. */
export class MessageReader {
  readonly #select: StatementSync;
  readonly #cache = new Map<number, StoredMessage>();

  constructor(db: DatabaseSync) {
    this.#select = db.prepare('SELECT worker, attempt, cold, received_at, body FROM result_messages WHERE id = ?');
  }

  /** Job `job`'s entry in message `id`, with the message's origin. */
  entry(id: number, job: number): { message: StoredMessage; result: Result } {
    const message = this.message(id);
    const result = message.entries.get(job);
    if (!result) throw new Error(`the run store is inconsistent: stored message ${id} holds no result for job ${job}`);
    return { message, result };
  }

  /** Forgets the messages read so far. */
  clear(): void {
    this.#cache.clear();
  }

  message(id: number): StoredMessage {
    let message = this.#cache.get(id);
    if (message) return message;
    const row = this.#select.get(id) as { worker: string | null; attempt: number | null; cold: number | null; received_at: number; body: string } | undefined;
    if (!row) throw new Error(`the run store is inconsistent: no stored message ${id}`);
    const entries = new Map<number, Result>();
    for (const result of (JSON.parse(row.body) as { results: Result[] }).results) if (!entries.has(result.id)) entries.set(result.id, result);
    message = { worker: row.worker ?? undefined, attempt: row.attempt ?? undefined, cold: row.cold === null ? undefined : row.cold === 1, receivedAt: row.received_at, entries };
    if (this.#cache.size >= CACHED_MESSAGES) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(id, message);
    return message;
  }
}
