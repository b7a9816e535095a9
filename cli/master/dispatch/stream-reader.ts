/**
 * Reading a stream of inputs (stdin, an async iterable) for dispatch: what it gave is sent
 * whenever it pauses, and Ctrl-C is heard while it waits.
 */
import type { Input } from './inputs.js';

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
