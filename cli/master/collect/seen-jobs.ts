/** Which job ids of a run have a result: one bit per job, so 100,000 jobs cost 12.5 KB. */
export class SeenJobs {
  readonly #bits: Uint8Array;
  #count = 0;

  constructor(readonly total: number) {
    this.#bits = new Uint8Array(Math.ceil(total / 8));
  }

  get count(): number {
    return this.#count;
  }

  get complete(): boolean {
    return this.#count === this.total;
  }

  has(id: number): boolean {
    return (this.#bits[id >> 3]! & (1 << (id & 7))) !== 0;
  }

  /** Marks `id`; false if it was already marked. */
  add(id: number): boolean {
    if (this.has(id)) return false;
    this.#bits[id >> 3]! |= 1 << (id & 7);
    this.#count++;
    return true;
  }

  /** Ids without a result, in order. */
  missing(): number[] {
    const ids: number[] = [];
    for (let id = 0; id < this.total; id++) if (!this.has(id)) ids.push(id);
    return ids;
  }
}
