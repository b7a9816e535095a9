/**
 * Packing already-encoded entries (jobs, results) into as few message bodies as the limits
 * allow, keeping their order. Each entry's size is counted once, as the escaped bytes SQS counts.
 */
import { jobEntry, jobMessageHead, type Job, type JobMessageHead } from './contract.js';
import { OversizeError } from './errors.js';
import { byteBound, byteLength } from './json.js';

/** Bounds for packing entries into message bodies. */
export type PackLimits = {
  /** Largest body, in UTF-8 bytes. */
  maxBytes: number;
  /** Most entries per body. */
  maxEntries: number;
};

/** One packed message body and how many entries it holds. */
export type Packed = { body: string; entries: number };

const TAIL = ']}';

/** Room left for entries in a body that starts with `head`. */
export function entryRoom(head: string, limits: PackLimits): number {
  return limits.maxBytes - byteLength(head) - TAIL.length;
}

/**
 * Fills message bodies one entry at a time, for callers that pack a stream: `add` returns the
 * body the entry did not fit in (the entry starts the next one), `flush` the last one.
 *
 * Sizes are counted as bounds (3 bytes a character) while a body is far from full, and exactly
 * once the bounds come near the limit: most bodies never count a byte.
 */
export class Packer {
  readonly #head: string;
  readonly #limits: PackLimits;
  readonly #room: number;
  #parts: string[] = [];
  /** Bytes of the parts joined by commas: exact once `#counting`, else at least that. */
  #size = 0;
  /** The body came near the limit: its entries are counted exactly. */
  #counting = false;

  constructor(head: string, limits: PackLimits) {
    this.#head = head;
    this.#limits = limits;
    this.#room = entryRoom(head, limits);
  }

  /** Room for one entry alone, in bytes. */
  get room(): number {
    return this.#room;
  }

  /** Entries added since the last body was returned. */
  get pending(): number {
    return this.#parts.length;
  }

  /**
   * Adds an entry; `bytes` is its UTF-8 size if known (else it is counted when it matters).
   * Throws OversizeError if no body can hold it.
   */
  add(entry: string, bytes?: number): Packed | undefined {
    let size = bytes ?? (this.#counting ? byteLength(entry) : byteBound(entry));
    let exact = bytes !== undefined || this.#counting;
    if (size > this.#room && !exact) {
      size = byteLength(entry);
      exact = true;
    }
    if (size > this.#room) throw new OversizeError(`an entry of ${size} bytes does not fit in one message (limit ${this.#room} bytes)`);
    let done: Packed | undefined;
    if (this.#parts.length >= this.#limits.maxEntries) done = this.flush();
    else if (this.#parts.length > 0 && this.#size + 1 + size > this.#room) {
      // The bounds say it may not fit: count this body exactly from here on.
      if (!this.#counting) {
        this.#size = byteLength(this.#parts.join(','));
        this.#counting = true;
      }
      if (!exact) size = byteLength(entry);
      if (this.#size + 1 + size > this.#room) done = this.flush();
    }
    this.#size += this.#parts.length > 0 ? size + 1 : size;
    this.#parts.push(entry);
    return done;
  }

  /** The body being filled, if it holds anything; the packer starts afresh. */
  flush(): Packed | undefined {
    if (this.#parts.length === 0) return undefined;
    const packed = { body: this.#head + this.#parts.join(',') + TAIL, entries: this.#parts.length };
    this.#parts = [];
    this.#size = 0;
    this.#counting = false;
    return packed;
  }
}

/** Packs `entries` (JSON text each) after `head`; throws OversizeError for an entry no body can hold. */
export function* pack(head: string, entries: Iterable<string>, limits: PackLimits): Generator<Packed> {
  const packer = new Packer(head, limits);
  for (const entry of entries) {
    const done = packer.add(entry);
    if (done) yield done;
  }
  const last = packer.flush();
  if (last) yield last;
}

/** Job message bodies for `jobs`, packed under `limits`. Throws OversizeError for a job that cannot fit alone. */
export function* packJobMessages(head: JobMessageHead, jobs: Iterable<Job>, limits: PackLimits): Generator<Packed> {
  const packer = new Packer(jobMessageHead(head), limits);
  for (const job of jobs) {
    const entry = jobEntry(job.id, job.input);
    if (byteBound(entry) > packer.room) {
      const bytes = byteLength(entry);
      if (bytes > packer.room) throw new OversizeError(`job ${job.id} is ${bytes} bytes on the wire, more than fits in one message (limit ${packer.room} bytes)`);
    }
    const done = packer.add(entry);
    if (done) yield done;
  }
  const last = packer.flush();
  if (last) yield last;
}
