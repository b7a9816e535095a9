/**
 * `Fanout`: the AWS side of fanout, as one construct that can be embedded in any stack.
 *
 * dispatched queue ──(SQS event source, partial batch failures)──▶ Worker ──results──▶ finished queue
 *   │    ▲                                                            │
 *   │    └────────────── continuations (jobs it had no time for) ─────┘
 *   └── after `QUEUES.dispatched.maxReceiveCount` receives ──▶ dead-letter queue
 *
 * The queues are made in `cdk/queues.ts`, the worker and its role in `cdk/worker-function.ts`.
 * Alarms (`cdk/alarms.ts`) watch the dead-letter queue, the worker's errors and throttles and the age of
 * the oldest dispatched message, and notify `alarmTopic` if one is given.
 */
import { Annotations, ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QUEUES, WORKER_TIMEOUT_SECONDS } from '../functions/wire/constants.js';
import { createFanoutAlarms } from './alarms.js';
import { createMasterPolicy } from './master-policy.js';
import { createFanoutQueues } from './queues.js';
import {
  validateBatchSize,
  validateLogLevel,
  validateMaxBatchingWindow,
  validateMaxConcurrency,
  validateMemorySize,
  validateMessageAgeAlarmThreshold,
  validateProvisionedPollers,
  validateQueueNamePrefix,
  validateReservedConcurrency,
  validateScalingMode,
  validateVisibilityTimeout,
  validateWorkerTimeout,
  VISIBILITY_TIMEOUT_FACTOR,
} from './validation.js';
import type { FanoutProps } from './fanout-props.js';
import { createFanoutWorker } from './worker-function.js';

export type { FanoutProps } from './fanout-props.js';

export { POWERTOOLS_SERVICE_NAME } from './worker-function.js';

/**
 * The queues, the worker, the wiring between them, and the alarms that watch them.
 *
 * Construct IDs `Dispatched`, `DeadLetter`, `Finished`, `Worker`, `DeadLetterAlarm`, `WorkerErrorsAlarm`,
 * `MessageAgeAlarm` and `ThrottlesAlarm` are part of the contract: renaming one replaces the resource on the
 * next deploy.
 */
export class Fanout extends Construct {
  /** Jobs from the master; triggers the worker. */
  public readonly dispatched: sqs.Queue;
  /**
   * Jobs that failed `QUEUES.dispatched.maxReceiveCount` deliveries. Retained when the stack is deleted or
   * the queue replaced (a new `queueNamePrefix`): its jobs are kept for their 14 days.
   */
  public readonly deadLetter: sqs.Queue;
  /** Results from the worker, collected by the master. */
  public readonly finished: sqs.Queue;
  /** The worker Lambda function (`functions/worker.ts`, export `handler`, running `tasks`). */
  public readonly worker: NodejsFunction;
  /** The worker's log group. */
  public readonly logGroup: logs.LogGroup;
  /** UUID of the event source mapping from `dispatched` to `worker` (for `UpdateEventSourceMapping`). */
  public readonly eventSourceMappingId: string;
  /** ARN of the event source mapping from `dispatched` to `worker`. */
  public readonly eventSourceMappingArn: string;
  /** In ALARM while the dead-letter queue holds a message (`ApproximateNumberOfMessagesVisible` ≥ 1 in a minute). */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** In ALARM while the worker had failed invocations (Lambda `Errors` > 0 in 5 minutes): crashes, timeouts, out of memory. */
  public readonly workerErrorsAlarm: cloudwatch.Alarm;
  /** In ALARM while a dispatched message is older than `messageAgeAlarmThreshold`. */
  public readonly messageAgeAlarm: cloudwatch.Alarm;
  /** In ALARM while worker invocations were throttled (Lambda `Throttles` > 0 in 5 minutes): concurrency used up. */
  public readonly throttlesAlarm: cloudwatch.Alarm;
  /** ARN pattern of the run queues (`<prefix>fanout-finished-*`), where the worker sends each run's results. */
  public readonly runQueuesArn: string;
  /** Name pattern of the run queues. */
  private readonly runQueuesName: string;
  /** The master's least-privilege policy: attach it to whoever runs `fanout dispatch` and `collect`. */
  public readonly masterPolicy: iam.ManagedPolicy;

  public constructor(scope: Construct, id: string, props: FanoutProps = {}) {
    super(scope, id);
    const settings = validatedSettings(props);

    const queues = createFanoutQueues(this, settings);
    this.deadLetter = queues.deadLetter;
    this.dispatched = queues.dispatched;
    this.finished = queues.finished;

    this.runQueuesName = `${settings.prefix}${QUEUES.finished.name}-*`;
    this.runQueuesArn = Stack.of(this).formatArn({ service: 'sqs', resource: this.runQueuesName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
    const worker = createFanoutWorker(this, {
      ...settings,
      tasks: props.tasks,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      dispatched: this.dispatched,
      finished: this.finished,
      runQueuesArn: this.runQueuesArn,
    });
    this.logGroup = worker.logGroup;
    this.worker = worker.worker;

    // The event source grants the role `grantConsumeMessages` on dispatched (ReceiveMessage,
    // ChangeMessageVisibility, GetQueueUrl, DeleteMessage, GetQueueAttributes): Lambda's pollers run with
    // the function's role. The worker code itself never calls the dispatched queue.
    const eventSource = new SqsEventSource(this.dispatched, {
      reportBatchItemFailures: true,
      batchSize: settings.batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      maxConcurrency: settings.maxConcurrency,
      provisionedPollerConfig: settings.pollers && { minimumPollers: settings.pollers.minimum, maximumPollers: settings.pollers.maximum },
      // The mapping's own metrics (polled, invoked, failed, deleted, dropped events): where jobs are between
      // the queue and the worker. Free of charge.
      metricsConfig: { metrics: [lambda.MetricType.EVENT_COUNT] },
    });
    this.worker.addEventSource(eventSource);
    this.eventSourceMappingId = eventSource.eventSourceMappingId;
    this.eventSourceMappingArn = eventSource.eventSourceMappingArn;

    const alarms = createFanoutAlarms(this, {
      dispatched: this.dispatched,
      deadLetter: this.deadLetter,
      worker: this.worker,
      messageAgeThreshold: settings.messageAgeAlarmThreshold,
      topic: props.alarmTopic,
    });
    this.deadLetterAlarm = alarms.deadLetter;
    this.workerErrorsAlarm = alarms.workerErrors;
    this.messageAgeAlarm = alarms.messageAge;
    this.throttlesAlarm = alarms.throttles;
    if (settings.reservedConcurrency !== undefined && settings.maxConcurrency !== undefined && settings.reservedConcurrency < settings.maxConcurrency) {
      Annotations.of(this).addWarningV2(
        'fanout:reservedConcurrencyBelowMaxConcurrency',
        `reservedConcurrency ${settings.reservedConcurrency} is below maxConcurrency ${settings.maxConcurrency}: the event source will be throttled (ThrottlesAlarm); reserve at least maxConcurrency.`,
      );
    }

    this.masterPolicy = createMasterPolicy(this, {
      dispatched: this.dispatched,
      deadLetter: this.deadLetter,
      finished: this.finished,
      runQueuesArn: this.runQueuesArn,
      eventSourceMappingArn: this.eventSourceMappingArn,
    });

    this.acknowledgeNagFindings();
  }

  /**
   * cdk-nag findings that are design decisions of this construct, with the reason for each. They are made
   * here so that every stack embedding a `Fanout` gets them, and they show up with their reason in the
   * cloud assembly's validation report.
   */
  private acknowledgeNagFindings(): void {
    Validations.of(this.finished).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'fanout collects from a queue of its own per run, not from this one; what arrives here (results of job messages that name no reply ' +
        "queue, from other clients) is theirs to read. A result message that breaks the contract is kept by fanout's collector in its run " +
        'store and reported once, so a dead-letter queue would hold nothing more; results nobody collects expire with the retention period.',
    });
    const runQueues =
      'Each run has a result queue of its own (isolation: no collector receives, holds or delays another run\'s results), created by the master ' +
      'at dispatch and deleted once the run is collected, so its name `<prefix>fanout-finished-<run id>` is not known at deploy time. The ' +
      'pattern is this stack\'s prefix and the finished queue\'s name: its run queues and nothing else.';
    // Granular: this pattern only; any other wildcard would still fail synth.
    const id = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:${this.runQueuesName}]`;
    Validations.of(this.worker.role!).acknowledge({ id, reason: runQueues });
    Validations.of(this.masterPolicy).acknowledge({ id, reason: runQueues });
    Validations.of(this.masterPolicy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sqs:ListQueues alone, for `fanout status` to find run queues nobody collected (by their name prefix): IAM authorises ' +
        'ListQueues on no resource type, so "*" is the only resource that grants it. It returns queue URLs, nothing of their messages.',
    });
  }
}

/** The props checked (each throws `FanoutPropsError` naming the prop and the value), with their defaults filled in. */
function validatedSettings(props: FanoutProps) {
  const prefix = props.queueNamePrefix ?? '';
  validateQueueNamePrefix(prefix);
  const timeoutSeconds =
    props.workerTimeout === undefined ? WORKER_TIMEOUT_SECONDS : validateWorkerTimeout(props.workerTimeout);
  const visibilitySeconds =
    props.workerTimeout === undefined
      ? QUEUES.dispatched.visibilityTimeoutSeconds
      : VISIBILITY_TIMEOUT_FACTOR * timeoutSeconds;
  validateVisibilityTimeout(visibilitySeconds, timeoutSeconds);
  const memorySizeMb = props.memorySizeMb ?? 1769;
  validateMemorySize(memorySizeMb);
  const logLevel = props.logLevel ?? 'INFO';
  validateLogLevel(logLevel);
  const windowSeconds = validateMaxBatchingWindow(props.maxBatchingWindow);
  const batchSize = props.batchSize ?? 10;
  validateBatchSize(batchSize, windowSeconds);
  validateScalingMode(props.maxConcurrency, props.provisionedPollers);
  const pollers = props.provisionedPollers && validateProvisionedPollers(props.provisionedPollers);
  const maxConcurrency = pollers ? undefined : (props.maxConcurrency ?? 50);
  if (maxConcurrency !== undefined) validateMaxConcurrency(maxConcurrency);
  validateReservedConcurrency(props.reservedConcurrency);
  const messageAgeAlarmThreshold = props.messageAgeAlarmThreshold ?? Duration.hours(1);
  validateMessageAgeAlarmThreshold(messageAgeAlarmThreshold);
  return { prefix, timeoutSeconds, visibilitySeconds, memorySizeMb, logLevel, batchSize, maxConcurrency, pollers, reservedConcurrency: props.reservedConcurrency, messageAgeAlarmThreshold };
}
