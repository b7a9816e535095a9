/**
 * Reading a stream of inputs (stdin, an async iterable) for dispatch: what it gave is sent
 * whenever it pauses, and Ctrl-C is heard while it waits.
 */
import { readInputs, type Input, type InputsSource } from './inputs.js';

/**
 * The next input; or 'lingered' if none came within `lingerMs` (the read goes on: await `pending`
 * again), or 'aborted' if `signal` aborted first.
 */
export async function nextInput(pending: Promise<IteratorResult<Input>>, lingerMs: number | undefined, signal: AbortSignal | undefined): Promise<IteratorResult<Input> | 'lingered' | 'aborted'> {
  if (lingerMs === undefined && !signal) return pending;
  if (signal?.aborted) return 'aborted';
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      pending,
      new Promise<'lingered' | 'aborted'>((resolve) => {
        if (lingerMs !== undefined) timer = setTimeout(() => resolve('lingered'), lingerMs);
        onAbort = () => resolve('aborted');
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * A stream's inputs one at a time, with the read in flight kept across a linger: the input that
 * comes after a pause is the next one, not lost.
 */
export class StreamReader {
  readonly #inputs: AsyncGenerator<Input>;
  readonly #lingerMs: number;
  readonly #signal: AbortSignal | undefined;
  #pending: Promise<IteratorResult<Input>> | undefined;

  /** Reads `source` from job `first` on. */
  constructor(source: InputsSource, first: number, lingerMs: number, signal: AbortSignal | undefined) {
    this.#inputs = readInputs(source, first);
    this.#lingerMs = lingerMs;
    this.#signal = signal;
  }

  /** The next input; lingering only while `holding` something unsent (see nextInput). */
  async next(holding: boolean): Promise<IteratorResult<Input> | 'lingered' | 'aborted'> {
    const current = (this.#pending ??= this.#inputs.next());
    const step = await nextInput(current, holding ? this.#lingerMs : undefined, this.#signal);
    if (step !== 'lingered' && step !== 'aborted') this.#pending = undefined;
    return step;
  }

  /** Closes a file, or a generator of the caller's; not awaited while a read is pending (a stream may never give another). */
  async close(): Promise<void> {
    if (this.#pending) void this.#inputs.return(undefined).catch(() => undefined);
    else await this.#inputs.return(undefined);
  }
}
