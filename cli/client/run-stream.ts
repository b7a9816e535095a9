/**
 * One run as a stream of results: dispatch and collect run at once (as `fanout run` does), and
 * each result is yielded as soon as collect has stored it, so the first results come while
 * inputs are still being sent. Every result is stored in the run store before it is yielded, and
 * yielded once. Ending the iteration early (`break`, an abort) stops both after what is in
 * flight: the run stays in the store, resumable.
 */
import { once } from 'node:events';
import type { TaskRegistry } from '../../functions/tasks/registry.js';
import type { Result } from '../../functions/wire/contract.js';
import { UsageError } from '../../functions/wire/errors.js';
import { collect } from '../master/collect/collect.js';
import { dispatch } from '../master/dispatch/dispatch.js';
import type { InputsSource } from '../master/dispatch/inputs.js';
import { MasterEmitter } from '../master/events.js';
import { dispatchStopped } from '../store/run-state.js';
import type { RunStore } from '../store/run-store.js';
import type { Target } from '../endpoint/target.js';
import { AsyncQueue } from './async-queue.js';
import type { MapResult, MapStream, MapSummary } from './types.js';

/** How the stream starts: a new run, or one already in the store. */
export type RunStart =
  | { kind: 'new'; task: string; inputs: InputsSource; run: string | undefined; jobsPerMessage: number | undefined }
  | { kind: 'resume'; run: string; task: string | undefined; inputs: InputsSource | undefined };

export type RunStreamOptions = {
  target: Target;
  store: RunStore;
  tasks: TaskRegistry;
  start: RunStart;
  timeoutMs: number;
  signal: AbortSignal | undefined;
  /**
   * Called when the iteration starts with a function that stops the stream's work (dispatch and
   * collect) and resolves once it has; returns the function that forgets it.
   */
  track(stop: () => Promise<void>): () => void;
};

/** Results stored and not yet taken by the consumer, at most: past it, collecting waits (memory stays flat however slow the consumer). */
const QUEUED_RESULTS = 10_000;

export class RunStream<Output> implements MapStream<Output> {
  readonly #options: RunStreamOptions;
  #run: string | undefined;
  #summary: MapSummary | undefined;
  #iterated = false;

  constructor(options: RunStreamOptions) {
    this.#options = options;
    if (options.start.kind === 'resume') this.#run = options.start.run;
  }

  get run(): string | undefined {
    return this.#run;
  }

  get summary(): MapSummary | undefined {
    return this.#summary;
  }

  [Symbol.asyncIterator](): AsyncIterator<MapResult<Output>> {
    if (this.#iterated) throw new UsageError('a map() stream can be iterated once: call map() again, or resume(run) for a run already started');
    this.#iterated = true;
    return this.#iterate();
  }

  async *#iterate(): AsyncGenerator<MapResult<Output>> {
    const { signal, store, start } = this.#options;
    signal?.throwIfAborted();
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const queue = new AsyncQueue<Result>();
    // Stopped (close(), an abort) while the consumer is not pulling: collecting must not wait for
    // it to take results (the finally below runs only when it pulls again, if ever).
    stop.signal.addEventListener('abort', () => queue.release(), { once: true });
    let work: Promise<void> | undefined;
    const untrack = this.#options.track(async () => {
      stop.abort();
      await work;
    });
    try {
      if (start.kind === 'resume') {
        const record = store.requireRun(start.run);
        if (start.task !== undefined && record.task !== start.task) throw new UsageError(`run ${record.id} runs task ${record.task}, not ${start.task}`);
        // What an earlier collect stored comes first; collecting starts once it has been read.
        for (const stored of store.results(record.id)) {
          if (stop.signal.aborted) break;
          yield toMapResult<Output>(record.id, stored);
        }
      }
      if (!stop.signal.aborted) {
        const events = new MasterEmitter();
        events.on('result', ({ result }) => queue.push(result));
        work = this.#work(events, stop.signal, () => queue.room(QUEUED_RESULTS)).then(
          () => queue.end(),
          (reason: unknown) => queue.end({ reason }),
        );
        for await (const result of queue) {
          // Stopped (an abort, close()): what is queued stays in the store for resume().
          if (stop.signal.aborted) break;
          yield toMapResult<Output>(this.#run!, result);
        }
      }
    } finally {
      stop.abort();
      // Collecting may be waiting for this consumer to take results: it is gone.
      queue.release();
      await work;
      untrack();
      signal?.removeEventListener('abort', onAbort);
    }
    signal?.throwIfAborted();
  }

  /**
   * Dispatch (unless resuming a run sent in full) and collect, side by side. Whichever ends first
   * stops the other: a failed dispatch (a bad input in a stream) stops collecting, and collecting
   * that ends (a timeout) stops a dispatch still reading a stream, leaving the run resumable.
   */
  async #work(events: MasterEmitter, signal: AbortSignal, pace: () => Promise<unknown> | undefined): Promise<void> {
    const { target, store, tasks, start, timeoutMs } = this.#options;
    const stopSending = new AbortController();
    const stopCollecting = new AbortController();
    let dispatched: Promise<unknown> | undefined;
    let run = start.run;
    const record = start.kind === 'resume' ? store.requireRun(start.run) : undefined;
    const resumeDispatch = record !== undefined && dispatchStopped(record) && (start.inputs !== undefined || record.inputs.kind === 'count' || record.inputs.kind === 'file');
    if (start.kind === 'new' || resumeDispatch) {
      const what = start.kind === 'new' ? { task: start.task, inputs: start.inputs, run: start.run, jobsPerMessage: start.jobsPerMessage } : { resume: start.run, inputs: start.inputs };
      const sending = dispatch({ target, store, tasks, events, signal: AbortSignal.any([signal, stopSending.signal]), ...what });
      dispatched = sending;
      // The run is recorded and its result queue exists once dispatch says so: collect from then on.
      const begun = new AbortController();
      const started = await Promise.race([
        once(events, 'dispatching', { signal: begun.signal }).then(([e]) => (e as { run: string }).run),
        sending.then(() => undefined),
      ]).finally(() => begun.abort());
      run = started ?? (await sending).run;
    }
    this.#run = run;
    // The first failure is the one thrown: a store that fills while sending stops the dispatch,
    // and the user must hear about the store, not the abort it caused.
    let failure: { error: unknown } | undefined;
    const dispatchEnded = dispatched?.catch((error: unknown) => {
      failure ??= { error };
      stopCollecting.abort();
    });
    let collected: { report: MapSummary } | undefined;
    try {
      collected = { report: await collect({ target, store, run: run!, timeoutMs, events, signal: AbortSignal.any([signal, stopCollecting.signal]), pace }) };
    } catch (error) {
      failure ??= { error };
    }
    stopSending.abort();
    await dispatchEnded;
    if (failure || !collected) throw failure!.error;
    this.#summary = collected.report;
  }
}

function toMapResult<Output>(run: string, result: Result): MapResult<Output> {
  const { id, started, ms } = result;
  return result.ok ? { run, id, ok: true, output: result.output as Output, started, ms } : { run, id, ok: false, error: result.error, started, ms };
}
