/** Ids up to this go in the bits (16 MiB at most); any larger id, which no dispatch makes, in a Set. */
const MAX_BIT_ID = 2 ** 27 - 1;

/**
 * Which job ids of a run have been printed: one bit per job, grown as ids come (a run of
 * 10,000,000 jobs takes 1.25 MB, where a Set of numbers would take hundreds).
 */
export class JobSet {
  #bits = new Uint8Array(1024);
  #large = new Set<number>();
  #size = 0;

  /** How many distinct ids were added. */
  get size(): number {
    return this.#size;
  }

  has(id: number): boolean {
    if (id > MAX_BIT_ID) return this.#large.has(id);
    const byte = id >>> 3;
    return byte < this.#bits.length && (this.#bits[byte]! & (1 << (id & 7))) !== 0;
  }

  /** Adds `id` (a job id: an integer ≥ 0); false if it was there already. */
  add(id: number): boolean {
    if (this.has(id)) return false;
    this.#size++;
    if (id > MAX_BIT_ID) {
      this.#large.add(id);
      return true;
    }
    const byte = id >>> 3;
    if (byte >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.#bits.length * 2));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    this.#bits[byte]! |= 1 << (id & 7);
    return true;
  }
}
