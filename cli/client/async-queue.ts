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

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      if (this.#head < this.#items.length) {
        const item = this.#items[this.#head++]!;
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
