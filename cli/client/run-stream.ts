/**
 * One run as a stream of results: dispatch and collect run at once (as `fanout run` does), and
 * each result is yielded as soon as collect has stored it, so the first results come while
 * inputs are still being sent. Every result is stored in the run store before it is yielded, and
 * yielded once. Ending the iteration early (`break`, an abort) stops both after what is in
 * flight: the run stays in the store, resumable.
 */
import type { TaskRegistry } from '../../functions/tasks/registry.js';
import type { Result } from '../../functions/wire/contract.js';
import { UsageError } from '../../functions/wire/errors.js';
import { collect } from '../master/collect/collect.js';
import { dispatchAndCollect } from '../master/dispatch-and-collect.js';
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

  /** Dispatch (unless resuming a run sent in full) and collect, side by side. */
  async #work(events: MasterEmitter, signal: AbortSignal, pace: () => Promise<unknown> | undefined): Promise<void> {
    const { target, store, tasks, start, timeoutMs } = this.#options;
    const record = start.kind === 'resume' ? store.requireRun(start.run) : undefined;
    const resumeDispatch = record !== undefined && dispatchStopped(record) && (start.inputs !== undefined || record.inputs.kind === 'count' || record.inputs.kind === 'file');
    const what =
      start.kind === 'new'
        ? { task: start.task, inputs: start.inputs, run: start.run, jobsPerMessage: start.jobsPerMessage }
        : resumeDispatch
          ? { resume: start.run, inputs: start.inputs }
          : undefined;
    const { collected } = await dispatchAndCollect({
      dispatch: what && { target, store, tasks, ...what },
      run: start.run,
      collect: (run, stop) => {
        this.#run = run;
        return collect({ target, store, run, timeoutMs, events, signal: stop, pace });
      },
      events,
      signal,
    });
    this.#summary = collected;
  }
}

function toMapResult<Output>(run: string, result: Result): MapResult<Output> {
  const { id, started, ms } = result;
  return result.ok ? { run, id, ok: true, output: result.output as Output, started, ms } : { run, id, ok: false, error: result.error, started, ms };
}
