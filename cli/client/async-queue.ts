/**
 * A queue between a producer that pushes (collect's `result` events) and one consumer that pulls
 * with `for await`: results are handed over as they arrive, in arrival order, each once.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  #items: T[] = [];
  #head = 0;
  #ended = false;
  #error: { reason: unknown } | undefined;
  #wake: (() => void) | undefined;
  /** Producers waiting for the consumer to catch up (see `room`). */
  #waiting: Array<{ limit: number; resolve: () => void }> = [];

  /** Items pushed and not yet taken. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /**
   * For a producer that can wait: resolves once no more than `limit` items are queued, or the
   * queue is released; undefined (nothing to wait for) when there is room already.
   */
  room(limit: number): Promise<void> | undefined {
    if (this.size <= limit || this.#released) return undefined;
    return new Promise((resolve) => this.#waiting.push({ limit, resolve }));
  }

  /** The consumer is gone: producers waiting for room wait no longer, and never will. */
  release(): void {
    this.#released = true;
    for (const { resolve } of this.#waiting.splice(0)) resolve();
  }

  #released = false;

  push(item: T): void {
    if (this.#ended) return;
    this.#items.push(item);
    this.#notify();
  }

  /** No more items; with `error`, the consumer gets it after the items already queued. */
  end(error?: { reason: unknown }): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  #roomMade(): void {
    const size = this.size;
    this.#waiting = this.#waiting.filter(({ limit, resolve }) => (size <= limit ? (resolve(), false) : true));
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.#head < this.#items.length) {
        const item = this.#items[this.#head++]!;
        if (this.#waiting.length > 0) this.#roomMade();
        // Drop what was consumed now and then, so a long run does not keep every result.
        if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
          this.#items = this.#items.slice(this.#head);
          this.#head = 0;
        }
        yield item;
        continue;
      }
      if (this.#ended) {
        if (this.#error) throw this.#error.reason;
        return;
      }
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
