/**
 * dispatch: inputs → packed job messages → the dispatched queue, logged in the run store.
 *
 * The run is recorded before the first send, with its own result queue. Inputs are read as a
 * stream and sent a window at a time (up to `concurrency` SendMessageBatch calls); each window is
 * logged in the store once SQS has accepted it, before the next goes. So an interrupted dispatch
 * (Ctrl-C, kill -9, a failed send) knows exactly what went out: `dispatch({ resume })` sends the
 * rest, and at most the one window in flight is sent twice (collect drops the repeats).
 *
 * Inputs that can be read twice (a count, a file, an array) are checked whole first — JSON that
 * travels exactly, the task's input schema, the size of each job on the wire — so bad input
 * sends nothing. A stream (stdin, an async iterable) is checked as it goes.
 */
import { hostname } from 'node:os';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { TaskRegistry } from '../../../functions/tasks/registry.js';
import { isRunId, jobEntry, jobMessageHead, type Json } from '../../../functions/wire/contract.js';
import { ServiceError, UnknownTaskError, UsageError } from '../../../functions/wire/errors.js';
import { byteLength } from '../../../functions/wire/json.js';
import { Packer } from '../../../functions/wire/packing.js';
import { endpointOf } from '../../endpoint/connection.js';
import { createSqsClient, type RequestCounter } from '../../endpoint/clients.js';
import { createRunQueue } from '../../endpoint/run-queue.js';
import type { Target } from '../../endpoint/target.js';
import type { MasterEmitter } from '../events.js';
import { newRunId } from '../run-id.js';
import { dispatchStopped } from '../../store/run-state.js';
import type { RunStore } from '../../store/run-store.js';
import type { RunRecord } from '../../store/types.js';
import { DispatchInterrupted, DispatchWindow, MESSAGE_LIMITS } from './dispatch-window.js';
import { describeSource, fingerprint, inputLabel, isRereadable, readInputBatches, settleSource, type Input, type InputsSource } from './inputs.js';
import { autoJobsPerMessage, localJobsPerMessage, PACKING } from './pack-size.js';
import { StreamReader } from './stream-reader.js';

export type DispatchOptions = {
  target: Target;
  store: RunStore;
  /** The task's name. Required for a new run; a resumed run keeps its own. */
  task?: string;
  /** The jobs' inputs: job i gets the i-th (an array is taken as values). Required unless resuming a count or a file. */
  inputs?: InputsSource | readonly unknown[];
  /**
   * The tasks the workers know: a task not among them is refused before anything is sent, and
   * inputs are checked against the task's input schema.
   * @default - no check: workers report UnknownTaskError per job
   */
  tasks?: TaskRegistry;
  /** @default - a new id */
  run?: string;
  /** Resume this interrupted run: send what was not sent. */
  resume?: string;
  /** Jobs per message. @default - chosen from the job count and the target (see pack-size.ts) */
  jobsPerMessage?: number;
  /** SendMessageBatch calls per window. @default 8 */
  concurrency?: number;
  /**
   * A stream of inputs that gives nothing new for this long, in ms, has what it gave sent at once.
   * @default 100 (`PACKING.lingerMs`)
   */
  lingerMs?: number;
  events?: MasterEmitter;
  /** Stops after the window in flight; the run is left resumable. */
  signal?: AbortSignal;
};

export type DispatchReport = {
  run: string;
  /** Jobs in the run (all sent unless `interrupted`). */
  jobs: number;
  jobsSent: number;
  messages: number;
  jobsPerMessage: number;
  /** True if the dispatch stopped before every job was sent: resume it. */
  interrupted: boolean;
};

export async function dispatch(options: DispatchOptions): Promise<DispatchReport> {
  const { target, store } = options;
  let record: RunRecord;
  let source: InputsSource;
  let total: number | undefined;
  if (options.resume !== undefined) {
    const done = store.requireRun(options.resume);
    // Resuming a run sent in full (say, by the life before a kill) is done: nothing twice.
    if (done.state === 'dispatched' || done.state === 'complete') {
      return { run: done.id, jobs: done.jobs!, jobsSent: done.jobsSent, messages: done.messagesSent, jobsPerMessage: done.jobsPerMessage, interrupted: false };
    }
    ({ record, source } = await resumable(store, options));
    total = record.jobs;
    store.resumeDispatch(record.id);
  } else {
    if (!options.inputs) throw new UsageError('nothing to dispatch: give inputs');
    if (!options.task) throw new UsageError('dispatch needs a task');
    const task = options.task;
    const schema = knownTask(options.tasks, task);
    source = await settleSource(asSource(options.inputs));
    const run = options.run ?? newRunId();
    if (!isRunId(run)) throw new UsageError(`a run id is 1-64 letters, digits, "-" or "_" (given ${JSON.stringify(run)})`);
    if (store.getRun(run)) throw new UsageError(`run ${run} already exists in ${store.path}: dispatch it under another id, or --resume it`);
    const packFor = (jobs: number) => (target.connection.kind === 'aws' ? autoJobsPerMessage(jobs) : localJobsPerMessage(jobs));
    let jobsPerMessage = options.jobsPerMessage;
    if (isRereadable(source)) {
      // Checked whole before anything is sent or recorded: bad input leaves no trace.
      total = await checkInputs(source, task, schema, jobsPerMessage ?? 1);
      if (total === 0) throw new UsageError('nothing to dispatch: no inputs');
    }
    jobsPerMessage ??= total === undefined ? PACKING.maxJobsPerMessage : packFor(total);
    record = store.createRun({
      id: run,
      task,
      target: { name: target.name, connection: target.connection.kind, endpoint: endpointOf(target.connection), stack: target.stack?.name },
      queues: { dispatched: target.queues.dispatched.url, deadLetter: target.queues.deadLetter.url },
      inputs: await describeSource(source),
      jobsPerMessage,
      jobs: total,
      dispatcher: { pid: process.pid, host: hostname() },
    });
  }
  const run = record.id;
  // A client of dispatch's own, so that its requests are counted apart from collect's.
  const requests: RequestCounter = new Map();
  const sqs = createSqsClient(target.connection, { counter: requests });
  try {
    return await send(record, source, total, { ...options, target: { ...target, sqs } });
  } finally {
    sqs.destroy();
    store.addRequests(run, 'dispatch', requests);
  }
}

/** Creates the run's result queue if need be, then sends the inputs window by window. */
async function send(record: RunRecord, source: InputsSource, total: number | undefined, options: DispatchOptions): Promise<DispatchReport> {
  const { store } = options;
  const run = record.id;
  const schema = knownTask(options.tasks, record.task);
  const reply = await resultQueue(record, options);
  options.events?.emit('dispatching', { run, jobs: total, resultsQueue: reply });

  const window = new DispatchWindow(record, reply, total, options);
  // A stream is checked as it goes, and what it gave is sent whenever it pauses.
  const stream = isRereadable(source) ? undefined : new StreamReader(source, window.next, options.lingerMs ?? PACKING.lingerMs, options.signal);
  const check = stream ? checker(record.task, schema) : undefined;
  try {
    if (stream) await sendStream(stream, window, check!);
    else await sendRereadable(source, window);
    await window.flush();
  } catch (error) {
    store.markInterrupted(run);
    if (error instanceof DispatchInterrupted) return { run, jobs: total ?? window.next, jobsSent: window.sent, messages: window.messagesSent, jobsPerMessage: record.jobsPerMessage, interrupted: true };
    throw withProgress(error, run, window.sent);
  } finally {
    await stream?.close();
  }
  const jobs = window.next;
  if (jobs === 0) {
    store.markInterrupted(run);
    throw new UsageError('nothing to dispatch: no inputs');
  }
  store.finishDispatch(run, jobs);
  return { run, jobs, jobsSent: jobs, messages: window.messagesSent, jobsPerMessage: record.jobsPerMessage, interrupted: false };
}

/** The run's result queue: made now unless an earlier, interrupted dispatch of it made it. */
async function resultQueue(record: RunRecord, { target, store }: DispatchOptions): Promise<string> {
  if (record.queues.results) return record.queues.results;
  let reply: string;
  try {
    reply = await createRunQueue(target, record.id);
  } catch (error) {
    store.markInterrupted(record.id);
    throw error;
  }
  store.setResultsQueue(record.id, reply);
  return reply;
}

/** Counts, files and arrays: read in batches, no await per input. */
async function sendRereadable(source: InputsSource, window: DispatchWindow): Promise<void> {
  for await (const batch of readInputBatches(source, window.next)) {
    for (const input of batch) {
      const packed = window.add(input.value);
      if (packed) await window.take(packed);
    }
  }
}

/** A stream: each input checked as it comes; what is held is sent whenever the stream pauses. */
async function sendStream(stream: StreamReader, window: DispatchWindow, check: ReturnType<typeof checker>): Promise<void> {
  for (;;) {
    const step = await stream.next(window.holding);
    if (step === 'aborted') throw new DispatchInterrupted();
    if (step === 'lingered') {
      await window.flush();
      continue;
    }
    if (step.done) return;
    await check(step.value, window.next);
    const packed = window.add(step.value.value);
    if (packed) await window.take(packed);
  }
}

function asSource(inputs: InputsSource | readonly unknown[]): InputsSource {
  return Array.isArray(inputs) ? { kind: 'values', values: inputs } : (inputs as InputsSource);
}

/** The task's input schema, after checking the workers know the task. */
function knownTask(tasks: TaskRegistry | undefined, name: string): StandardSchemaV1 | undefined {
  if (!tasks) return undefined;
  const task = tasks.find(name);
  if (!task) throw new UnknownTaskError(name, tasks.names());
  return task.input;
}

/** Checks one input: its schema, its size on the wire. Throws a UsageError naming where it came from. */
function checker(task: string, schema: StandardSchemaV1 | undefined, jobsPerMessage = 1): (input: Input, id?: number) => Promise<void> | undefined {
  const room = new Packer(jobMessageHead({ run: 'r'.repeat(64), task, reply: 'https://'.padEnd(160, 'x') }), { ...MESSAGE_LIMITS, maxEntries: jobsPerMessage }).room;
  const fits = (input: Input, id: number) => {
    if (surelyFits(input.value, room)) return;
    const bytes = byteLength(jobEntry(id, input.value));
    if (bytes > room) throw new UsageError(`${inputLabel(input, id)}: the job is ${bytes} bytes on the wire, more than fits in one message (limit ${room} bytes)`);
  };
  const issues = (input: Input, id: number, outcome: StandardSchemaV1.Result<unknown>) => {
    if (!outcome.issues) return;
    const [issue] = outcome.issues;
    const path = issue?.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
    throw new UsageError(`${inputLabel(input, id)}: the input does not match task ${task}'s schema${path ? ` at ${path}` : ''}: ${issue?.message ?? 'invalid'}`);
  };
  // Synchronous unless the schema validates asynchronously: a million inputs need no million awaits.
  return (input, id = 0) => {
    if (schema) {
      const validating = schema['~standard'].validate(input.value);
      if (validating instanceof Promise) {
        return validating.then((outcome) => {
          issues(input, id, outcome);
          fits(input, id);
        });
      }
      issues(input, id, validating);
    }
    fits(input, id);
    return undefined;
  };
}

/** True if `value` fits in `room` bytes on the wire for sure, without encoding it (every character escaped takes at most 6 bytes). */
function surelyFits(value: Json, room: number): boolean {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return true;
  return typeof value === 'string' && value.length * 6 + 64 < room;
}

/** Reads every input once; resolves to how many there are. */
async function checkInputs(source: InputsSource, task: string, schema: StandardSchemaV1 | undefined, jobsPerMessage: number): Promise<number> {
  if (source.kind === 'count' && !schema) return source.count;
  const check = checker(task, schema, jobsPerMessage);
  let count = 0;
  for await (const batch of readInputBatches(source)) {
    for (const input of batch) {
      const checking = check(input, count++);
      if (checking) await checking;
    }
  }
  return count;
}

/** The interrupted run and its inputs, checked to be the same as when it started. */
async function resumable(store: RunStore, options: DispatchOptions): Promise<{ record: RunRecord; source: InputsSource }> {
  const record = store.requireRun(options.resume!);
  if (options.task !== undefined && record.task !== options.task) throw new UsageError(`run ${record.id} runs task ${record.task}, not ${options.task}`);

  if (record.state === 'dispatching' && !dispatchStopped(record)) {
    throw new UsageError(`run ${record.id} is being dispatched by process ${record.dispatcher?.pid ?? '?'}: wait for it, or stop it first`);
  }
  const spec = record.inputs;
  const given = options.inputs === undefined ? undefined : await settleSource(asSource(options.inputs));
  if (spec.kind === 'count') return { record, source: given ?? spec };
  if (spec.kind === 'file') {
    const now = await fingerprint(spec.path);
    if (now.sha256 !== spec.sha256) throw new UsageError(`${spec.path} changed since run ${record.id} was dispatched from it: resume needs the same inputs`);
    return { record, source: { kind: 'file', path: spec.path } };
  }
  if (!given) throw new UsageError(`run ${record.id} read its inputs from ${spec.kind}: give the same inputs again to resume it`);
  return { record, source: given };
}

function withProgress(error: unknown, run: string, sent: number): unknown {
  if (!(error instanceof UsageError || error instanceof ServiceError)) return error;
  const As = error instanceof UsageError ? UsageError : ServiceError;
  const hint = sent > 0 ? `run ${run}: ${sent} job(s) sent; send the rest with \`fanout dispatch --resume ${run}\`` : `run ${run}: nothing sent`;
  return new As(`${error.message} (${hint})`, { cause: error });
}
