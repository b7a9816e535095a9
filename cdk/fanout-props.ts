/** `FanoutProps`: what a `Fanout` can be given, each with its range and default. */
import type { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { WorkerLogLevel } from './validation.js';

/** Properties of a `Fanout`. All are optional: `new Fanout(this, 'Fanout')` deploys the defaults. */
export interface FanoutProps {
  /**
   * Your tasks module: the worker runs the tasks it exports (made with `defineTask` from
   * `fanout/task`), bundled with the handler by esbuild. A TypeScript or JavaScript file, relative
   * to the directory `cdk synth` runs in (your project's root), e.g. `'src/tasks.ts'`.
   *
   * @default - the built-in tasks (square, burn, sleep, fail)
   */
  readonly tasks?: string;

  /**
   * Prepended to the queue names of `functions/constants.ts` (`QUEUES.*.name`).
   *
   * The queues get fixed physical names, not CloudFormation-generated ones, so that a deployed queue is
   * recognisable as the one the local runtime mimics. Queue names are unique per account and region: to
   * deploy two `Fanout`s there (two stacks, or two stages), give each its own prefix, e.g. `'dev-'`.
   * Letters, digits, `-` and `_` only; the longest resulting name must fit SQS's 80 characters.
   * Changing it replaces the queues (messages in flight are lost).
   *
   * @default - no prefix: the queues are named exactly `QUEUES.dispatched.name`, `QUEUES.deadLetter.name`
   *   and `QUEUES.finished.name`
   */
  readonly queueNamePrefix?: string;

  /**
   * How long one invocation of the worker may run, in whole seconds between 1 and 900.
   *
   * The dispatched queue's visibility timeout follows it: it is set to 6 × this timeout, AWS's minimum for
   * a queue that triggers a Lambda function. It does not change `WORKER_TIMEOUT_SECONDS`, which the local
   * runtime keeps using.
   *
   * @default - `WORKER_TIMEOUT_SECONDS` from `functions/constants.ts`, with the dispatched queue's
   *   visibility timeout `QUEUES.dispatched.visibilityTimeoutSeconds`
   */
  readonly workerTimeout?: Duration;

  /**
   * Memory of the worker, in MB, a whole number between 128 and 10240. Lambda allocates CPU in
   * proportion: 1769 MB is one full vCPU, as much as a single-threaded Node.js worker can use.
   *
   * @default 1769
   */
  readonly memorySizeMb?: number;

  /**
   * How long CloudWatch Logs keeps the worker's log lines.
   *
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The worker's log level (`POWERTOOLS_LOG_LEVEL`), one of `WORKER_LOG_LEVELS`.
   *
   * @default 'INFO'
   */
  readonly logLevel?: WorkerLogLevel;

  /**
   * Most messages the event source hands the worker in one invocation: 1–10, or up to 10000 when
   * `maxBatchingWindow` is at least one second. Each message may pack several jobs.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long the event source may wait to fill a batch before invoking the worker, in whole seconds up
   * to 5 minutes. Messages are already invisible while a batch fills, so keep it well below the
   * dispatched queue's visibility timeout (6 × `workerTimeout`).
   *
   * @default - no batching window: the worker is invoked as soon as messages are polled. A fan-out wants
   *   parallelism and low latency, not fuller batches; the master already fills messages by packing and
   *   sends them in bursts of `SendMessageBatch`, so a window would mostly delay the tail of a run.
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Most concurrent worker invocations the event source starts, 2–1000 (standard mode). It caps the load on
   * anything the jobs call and on the account's concurrency (1000 by default, shared by all functions of the
   * region). Standard mode starts at 5 concurrent invocations and adds up to 300 a minute while messages
   * wait (`fanout estimate` models the ramp). Not with `provisionedPollers`: AWS allows one or the other.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
   * @default - 50, unless `provisionedPollers` is given (then none)
   */
  readonly maxConcurrency?: number;

  /**
   * Provisioned mode for the event source instead of standard mode: event pollers kept ready between
   * `minimum` and `maximum`, which scale about three times as fast (up to 1,000 more concurrent invocations a
   * minute, against 300) and reach further (each poller runs up to 10 concurrent invocations). For bursty
   * fan-outs whose runs are short against standard mode's ramp; pollers are billed while they exist
   * (`fanout estimate` shows both modes). Not with `maxConcurrency`: bound the load with `maximum`, or with
   * `reservedConcurrency`.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
   * @default - standard mode, bounded by `maxConcurrency`
   */
  readonly provisionedPollers?: ProvisionedPollers;

  /**
   * Concurrency reserved for the worker, a whole number from 1: other functions of the account cannot take
   * it, and the worker never runs more at once. Keep it at least `maxConcurrency` (the event source would
   * otherwise be throttled: `throttlesAlarm`). It counts against the account's concurrency (1000 by
   * default), which must keep 100 unreserved.
   *
   * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
   * @default - none: the worker shares the account's unreserved concurrency
   */
  readonly reservedConcurrency?: number;

  /**
   * Where the alarms (`deadLetterAlarm`, `workerErrorsAlarm`, `throttlesAlarm`, `messageAgeAlarm`) send notifications:
   * when one goes off (ALARM) and when it clears (OK), so that an incident opened by the first is
   * closed by the second.
   *
   * @default - no notifications: the alarms only show in CloudWatch
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * How long a job message may wait in the dispatched queue (`ApproximateAgeOfOldestMessage`, three
   * one-minute periods in a row) before `messageAgeAlarm` goes off: whole seconds, at least one minute
   * and below the queue's retention (4 days). Workers normally take a message within seconds, so an old
   * one means the event source mapping is paused or throttled, or a run has more work than
   * `maxConcurrency` workers get through in this time: raise it if your runs are that large.
   * SQS leaves out messages received three times or more, so a poison message raises `deadLetterAlarm`
   * instead.
   *
   * @default Duration.hours(1)
   */
  readonly messageAgeAlarmThreshold?: Duration;
}

/** Provisioned mode's event pollers (`FanoutProps.provisionedPollers`), within the ranges AWS accepts for SQS. */
export interface ProvisionedPollers {
  /**
   * Event pollers kept even while the queue is empty, 2–200: they take a burst at once, and are billed.
   *
   * @default 2
   */
  readonly minimum?: number;

  /**
   * Most event pollers the mapping scales to, 2–2000, at least `minimum`.
   *
   * @default 200
   */
  readonly maximum?: number;
}
