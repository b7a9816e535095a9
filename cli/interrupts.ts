/**
 * Ctrl-C, the same in every command: the first SIGINT (or SIGTERM, a polite kill) asks for a
 * graceful stop — finish what is running, start nothing new — and the second for a stop now.
 * Listened for from a command's first line: with no listener Node exits at the first SIGINT, so a
 * Ctrl-C while a command starts would kill it half-way instead of stopping it once it has started.
 */
import { EXIT } from './output/exit-codes.js';

export type InterruptsOptions = {
  /**
   * What the second signal does: `exit` ends the process at once with status 130; `abort` only
   * aborts `now`, for a command that stops its own children first.
   * @default 'exit'
   */
  second?: 'exit' | 'abort';
};

export class Interrupts implements Disposable {
  readonly #drain = new AbortController();
  readonly #now = new AbortController();
  readonly #second: 'exit' | 'abort';
  readonly #onSignal = () => this.interrupt();

  constructor(options: InterruptsOptions = {}) {
    this.#second = options.second ?? 'exit';
    process.on('SIGINT', this.#onSignal);
    process.on('SIGTERM', this.#onSignal);
  }

  /** Aborted at the first signal: finish what is running, start nothing new. */
  get drain(): AbortSignal {
    return this.#drain.signal;
  }

  /** Aborted at the second signal: stop now. */
  get now(): AbortSignal {
    return this.#now.signal;
  }

  /** A signal came: the command was interrupted, and exits 130 whatever it finished. */
  get interrupted(): boolean {
    return this.#drain.signal.aborted;
  }

  /** Resolves at the first signal. */
  drained(): Promise<void> {
    return aborted(this.#drain.signal);
  }

  /** Resolves at the second signal. */
  stoppedNow(): Promise<void> {
    return aborted(this.#now.signal);
  }

  /** Stops listening: a signal from now on has Node's default effect. Idempotent. */
  [Symbol.dispose](): void {
    process.off('SIGINT', this.#onSignal);
    process.off('SIGTERM', this.#onSignal);
  }

  /** What a signal does, for other reasons to stop (the parent process gone, say). */
  interrupt(): void {
    if (!this.#drain.signal.aborted) return this.#drain.abort(new InterruptedError());
    if (this.#second === 'exit') process.exit(EXIT.interrupted);
    this.#now.abort(new InterruptedError());
  }
}

/** The reason an interrupt aborts with: the user asked, nothing failed. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor() {
    super('interrupted (Ctrl-C)');
  }
}

/** Starts listening for the stop signals: the first drains, the second stops now. */
export function interruptible(options?: InterruptsOptions): Interrupts {
  return new Interrupts(options);
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
