/**
 * A run, end to end: dispatch and collect side by side, as `fanout run` and `map()` do, so results
 * are stored while inputs are still being sent.
 *
 * Collecting starts once dispatch has recorded the run (and made its result queue). Whichever side
 * fails first stops the other and its error is the one thrown: a store that fills while sending
 * stops the dispatch, and the user must hear about the store, not the abort it caused. Collecting
 * that ends (every job has a result, a timeout, an abort) stops a dispatch still reading a stream;
 * the run stays resumable.
 */
import { once } from 'node:events';
import type { CollectReport } from './collect/collect.js';
import { dispatch, type DispatchOptions, type DispatchReport } from './dispatch/dispatch.js';
import type { MasterEmitter } from './events.js';

export type DispatchAndCollectOptions = {
  /**
   * What to send (a new run, or the rest of an interrupted one), as `dispatch()` takes it without
   * its events and signal; `undefined` collects `run` only.
   */
  dispatch: Omit<DispatchOptions, 'events' | 'signal'> | undefined;
  /** The run to collect when nothing is sent. */
  run?: string;
  /** Collects `run` until `signal` aborts: `collect()`, or the shell's collect with its output. */
  collect(run: string, signal: AbortSignal): Promise<CollectReport>;
  /** Dispatch's and collect's events: `dispatching` names the run before anything is sent. */
  events: MasterEmitter;
  /** Stops both; what was sent is logged, what was collected is stored. */
  signal?: AbortSignal;
  /** Called once the sending ends, while collecting goes on. */
  onDispatched?(report: DispatchReport): void;
};

export type DispatchAndCollectReport = {
  run: string;
  /** What dispatch sent; undefined when nothing was to be sent. */
  dispatched: DispatchReport | undefined;
  collected: CollectReport;
};

export async function dispatchAndCollect(options: DispatchAndCollectOptions): Promise<DispatchAndCollectReport> {
  const { events, signal } = options;
  const stopSending = new AbortController();
  const stopCollecting = new AbortController();
  const sending = options.dispatch && dispatch({ ...options.dispatch, events, signal: anyOf(signal, stopSending.signal) });
  const run = sending ? await runOnceRecorded(sending, events) : options.run;
  if (run === undefined) throw new TypeError('dispatchAndCollect: no run to collect (give dispatch or run)');

  let failure: { error: unknown } | undefined;
  let dispatched: DispatchReport | undefined;
  const sendingEnded = sending?.then(
    (report) => {
      dispatched = report;
      options.onDispatched?.(report);
    },
    (error: unknown) => {
      failure ??= { error };
      stopCollecting.abort();
    },
  );
  let collected: CollectReport | undefined;
  try {
    collected = await options.collect(run, anyOf(signal, stopCollecting.signal));
  } catch (error) {
    failure ??= { error };
  }
  stopSending.abort();
  await sendingEnded;
  if (failure || !collected) throw failure!.error;
  return { run, dispatched, collected };
}

/** The run's id, once dispatch has recorded it (or has ended, having sent it all or failed). */
async function runOnceRecorded(sending: Promise<DispatchReport>, events: MasterEmitter): Promise<string> {
  const begun = new AbortController();
  const recorded = await Promise.race([
    once(events, 'dispatching', { signal: begun.signal }).then(([e]) => (e as { run: string }).run),
    sending.then(() => undefined),
  ]).finally(() => begun.abort());
  return recorded ?? (await sending).run;
}

function anyOf(signal: AbortSignal | undefined, own: AbortSignal): AbortSignal {
  return signal ? AbortSignal.any([signal, own]) : own;
}
