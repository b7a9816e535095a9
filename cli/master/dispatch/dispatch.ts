/**
 * dispatch: jobs → packed job messages → the dispatched queue, then a manifest for collect.
 */
import { MESSAGE_BODY_BYTES } from '../../../functions/wire/constants.js';
import { MAX_JSON_DEPTH, packJobMessages, runAttributes, withinDepth, type Json } from '../../../functions/wire/contract.js';
import { BatchSender } from '../../../functions/wire/batch-sender.js';
import { ServiceError, UsageError, UnknownTaskError } from '../../../functions/wire/errors.js';
import { taskNames } from '../../../functions/tasks/index.js';
import type { MasterEmitter } from '../events.js';
import { writeManifest, type RunManifest } from '../manifest.js';
import { newRunId } from '../run-id.js';
import type { Target } from '../../endpoint/target.js';
import { explainSqsError } from '../../endpoint/aws-errors.js';
import { autoJobsPerMessage, PACKING } from './pack-size.js';

export type DispatchOptions = {
  target: Target;
  /** A registered task name. */
  task: string;
  /** One input per job; job i gets inputs[i]. */
  inputs: readonly Json[];
  /** @default - a new id */
  run?: string;
  /** Jobs per message. @default - chosen from the job count and the target (see pack-size.ts) */
  jobsPerMessage?: number;
  /**
   * Tasks the workers know. A task not listed is refused before anything is sent; pass
   * `undefined` to send it anyway (workers then report UnknownTaskError per job).
   * @default - this package's task registry
   */
  knownTasks?: readonly string[] | undefined;
  /** SendMessageBatch calls in flight. @default 8 */
  concurrency?: number;
  events?: MasterEmitter;
  /** The stack the target's queues came from, recorded for collect. */
  stack?: string;
  /** @default - FANOUT_HOME or ./.fanout */
  home?: string;
};

export type DispatchReport = { run: string; jobs: number; messages: number; jobsPerMessage: number; manifestPath: string };

export async function dispatch(options: DispatchOptions): Promise<DispatchReport> {
  const { target, task, inputs } = options;
  const known = 'knownTasks' in options ? options.knownTasks : taskNames();
  if (known && !known.includes(task)) throw new UnknownTaskError(task, known);
  if (inputs.length === 0) throw new UsageError('nothing to dispatch: no inputs');
  const run = options.run ?? newRunId();
  const parallelMessages = target.connection.kind === 'aws' ? PACKING.parallelMessages : PACKING.localParallelMessages;
  const jobsPerMessage = options.jobsPerMessage ?? autoJobsPerMessage(inputs.length, parallelMessages);

  const tooDeep = inputs.findIndex((input) => !withinDepth(input));
  if (tooDeep >= 0) throw new UsageError(`the input of job ${tooDeep} nests deeper than ${MAX_JSON_DEPTH} levels`);
  // Packed in full before the first send: an input too large for a message fails the run before anything is sent.
  const jobs = inputs.map((input, id) => ({ id, input }));
  const packed = Array.from(packJobMessages(run, task, jobs, { maxBytes: MESSAGE_BODY_BYTES, maxEntries: jobsPerMessage }));

  const manifest: RunManifest = {
    version: 1,
    run,
    task,
    jobs: jobs.length,
    messages: packed.length,
    jobsPerMessage,
    target: target.name,
    ...(options.stack && { stack: options.stack }),
    dispatchedAt: new Date().toISOString(),
  };
  // Written before the first send: results may arrive before dispatch returns, and a collector needs it.
  const manifestPath = await writeManifest(manifest, options.home);

  const sender = new BatchSender(target.sqs, target.queues.dispatched.url, { maxInFlight: options.concurrency ?? 8 });
  const attributes = runAttributes(run);
  let sentJobs = 0;
  let sentMessages = 0;
  const sends = packed.map(({ body, entries }) =>
    sender.send(body, attributes).then(() => {
      sentMessages++;
      sentJobs += entries;
      options.events?.emit('sent', { run, jobs: sentJobs, messages: sentMessages, totalJobs: jobs.length });
    }),
  );
  const outcomes = await Promise.allSettled(sends);
  const failed = outcomes.filter((o) => o.status === 'rejected');
  if (failed.length > 0) {
    const reason = explainSqsError((failed[0] as PromiseRejectedResult).reason, target, target.queues.dispatched.url);
    const As = reason instanceof UsageError ? UsageError : ServiceError;
    throw new As(`${failed.length} of ${packed.length} messages were not sent (run ${run}): ${reason.message}`, { cause: reason });
  }

  return { run, jobs: jobs.length, messages: packed.length, jobsPerMessage, manifestPath };
}
