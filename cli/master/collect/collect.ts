/**
 * collect: a run's result queue → the run store, one result per job.
 *
 * Returns as soon as every job has a result (then deletes the run's queue), or at the timeout
 * with the ids still missing and those of them sitting in the dead-letter queue. A run whose
 * dispatch was interrupted ends as soon as every sent job has a result, saying so. A run already
 * complete is reported from the store at once.
 */
import { createSqsClient, type RequestCounter } from '../../endpoint/clients.js';
import { endpointOf } from '../../endpoint/connection.js';
import { onEndpoint } from '../../endpoint/queues.js';
import { deleteRunQueue } from '../../endpoint/run-queue.js';
import type { Target } from '../../endpoint/target.js';
import { errorInfo, UsageError } from '../../../functions/wire/errors.js';
import { deadLetteredJobs } from '../dead-letters/scan-dead-letters.js';
import type { MasterEmitter } from '../events.js';
import { dispatchStopped, effectiveState, isComplete } from '../../store/run-state.js';
import type { RunStore } from '../../store/run-store.js';
import type { Conflict, RunCounts, RunRecord, RunState } from '../../store/types.js';
import { Collector, type CollectorEnd } from './collector.js';

export type CollectOptions = {
  target: Target;
  store: RunStore;
  /** The run to collect. */
  run: string;
  /** Give up after this long, in ms. @default 60000 */
  timeoutMs?: number;
  /** Long-poll receivers running at once. @default 4 */
  receivers?: number;
  events?: MasterEmitter;
  /** Look in the dead-letter queue for missing jobs at the end. @default true */
  checkDeadLetters?: boolean;
  /** Stops collecting early (e.g. on Ctrl-C); what was stored stays stored. */
  signal?: AbortSignal;
  /**
   * Awaited after each batch is stored and deleted, before more is received: a consumer of the
   * events that falls behind (JSON lines into a slow pipe) holds collecting back instead of
   * buffering without bound. @default - none
   */
  pace?: () => Promise<unknown> | undefined;
};

/** Missing ids and conflicts listed in a report at most; the counts are always whole. */
export const REPORT_LIMITS = { missing: 1000, conflicts: 100 } as const;

export type CollectReport = {
  run: string;
  /** Every job has a result, every result is ok, and no result conflicts. */
  ok: boolean;
  /** Every job has a result. */
  complete: boolean;
  state: RunState;
  /** Jobs in the run; undefined while an interrupted dispatch had not read all its inputs. */
  jobs: number | undefined;
  jobsSent: number;
  counts: RunCounts;
  /** Job ids with no result, in order (at most REPORT_LIMITS.missing; `missingCount` has them all). */
  missing: number[];
  missingCount: number;
  /** Of the missing, those whose job messages sit in the dead-letter queue (`fanout redrive` retries them). */
  deadLettered: number[];
  /** The run's messages in the dead-letter queue that break the contract, so their jobs cannot be named. */
  deadLetteredUnreadable: number;
  /** Jobs with a second, different result (at most REPORT_LIMITS.conflicts; `counts.conflicts` has them all). */
  conflicts: Conflict[];
  /** Why collecting ended. */
  end: CollectorEnd;
  /** SQS requests this call made, by operation. */
  requests: Record<string, number>;
};

export async function collect(options: CollectOptions): Promise<CollectReport> {
  const { target, store, events } = options;
  const record = store.requireRun(options.run);
  if (!record.queues.results) throw new UsageError(`run ${record.id} has no result queue yet: its dispatch stopped before sending anything; resume it with \`fanout dispatch --resume ${record.id}\``);
  const requests: RequestCounter = new Map();
  let end: CollectorEnd = 'complete';
  if (dispatchStopped(record)) {
    events?.emit('warning', { message: `run ${record.id}'s dispatch stopped after ${record.jobsSent} job(s): collecting those; \`fanout dispatch --resume ${record.id}\` sends the rest` });
  }
  if (!isComplete(record)) {
    const sqs = createSqsClient(target.connection, { counter: requests });
    const collector = new Collector({
      target,
      sqs,
      store,
      run: record.id,
      queueUrl: onEndpoint(record.queues.results, endpointOf(target.connection)),
      deadline: Date.now() + (options.timeoutMs ?? 60_000),
      receivers: options.receivers ?? 4,
      events,
      pace: options.pace,
    });
    const abort = () => collector.stop('aborted');
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      end = await collector.collect();
      if (end === 'complete') await collector.settleRest();
    } finally {
      options.signal?.removeEventListener('abort', abort);
      sqs.destroy();
    }
  }
  const after = store.requireRun(record.id);
  if (isComplete(after)) {
    if (after.state !== 'complete') store.markComplete(after.id);
    await cleanUp(target, store, after, events, requests);
  }
  store.addRequests(record.id, 'collect', requests);
  return report(options, store.requireRun(record.id), end, requests);
}

/** The run is complete: its result queue has nothing left anyone needs. */
async function cleanUp(target: Target, store: RunStore, record: RunRecord, events: MasterEmitter | undefined, requests: RequestCounter): Promise<void> {
  if (record.resultsQueueDeleted || !record.queues.results) return;
  const sqs = createSqsClient(target.connection, { counter: requests });
  try {
    await deleteRunQueue({ ...target, sqs }, onEndpoint(record.queues.results, endpointOf(target.connection)));
    store.markResultsQueueDeleted(record.id);
  } catch (error) {
    events?.emit('warning', { message: `could not delete run ${record.id}'s result queue (it holds nothing needed): ${errorInfo(error).message}` });
  } finally {
    sqs.destroy();
  }
}

async function report(options: CollectOptions, record: RunRecord, end: CollectorEnd, requests: RequestCounter): Promise<CollectReport> {
  const { store, events } = options;
  const expected = record.jobs ?? record.jobsSent;
  const missingCount = Math.max(0, expected - record.counts.done);
  const missing = missingCount > 0 ? store.missing(record.id, expected, REPORT_LIMITS.missing) : [];
  let dead = { jobIds: [] as number[], unreadable: 0 };
  if (missingCount > 0 && !dispatchStopped(record)) {
    events?.emit('timeout', { run: record.id, missing, count: missingCount });
    if (options.checkDeadLetters ?? true) {
      dead = await deadLetteredJobs(options.target, record.id).catch((error: unknown) => {
        events?.emit('warning', { message: `could not read the dead-letter queue: ${errorInfo(error).message}` });
        return dead;
      });
    }
  }
  const complete = isComplete(record);
  return {
    run: record.id,
    ok: complete && record.counts.failed === 0 && record.counts.conflicts === 0,
    complete,
    state: effectiveState(record),
    jobs: record.jobs,
    jobsSent: record.jobsSent,
    counts: record.counts,
    missing,
    missingCount,
    deadLettered: dead.jobIds.filter((id) => id < expected && !store.has(record.id, id)),
    deadLetteredUnreadable: dead.unreadable,
    conflicts: record.counts.conflicts > 0 ? store.conflicts(record.id).slice(0, REPORT_LIMITS.conflicts) : [],
    end,
    requests: Object.fromEntries(requests),
  };
}
