/**
 * The worker of a `Fanout`: its log group, its own role and the `NodejsFunction` that runs the
 * tasks, with the SQS sends it makes (results, continuations, each run's own result queue). The
 * event source that feeds it is wired by the construct.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DISPATCHED_QUEUE_URL_ENV, FINISHED_QUEUE_URL_ENV } from '../functions/wire/constants.js';
import type { WorkerLogLevel } from './validation.js';
import { workerEntry } from './worker-entry.js';

/** Powertools' service name: the `service` key of every log line. */
export const POWERTOOLS_SERVICE_NAME = 'fanout';

export type FanoutWorkerInput = {
  /** `FanoutProps.tasks`: the tasks module, or the built-in tasks. */
  readonly tasks?: string;
  readonly memorySizeMb: number;
  readonly timeoutSeconds: number;
  /** `FanoutProps.reservedConcurrency`. */
  readonly reservedConcurrency?: number | undefined;
  readonly logLevel: WorkerLogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly dispatched: sqs.Queue;
  readonly finished: sqs.Queue;
  /** ARN pattern of the run queues, where the worker sends each run's results. */
  readonly runQueuesArn: string;
};

/** Created in `scope` under the construct IDs `WorkerLogs`, `WorkerRole` and `Worker`. */
export type FanoutWorker = {
  readonly worker: NodejsFunction;
  readonly logGroup: logs.LogGroup;
};

export function createFanoutWorker(scope: Construct, input: FanoutWorkerInput): FanoutWorker {
  const logGroup = new logs.LogGroup(scope, 'WorkerLogs', {
    retention: input.logRetention,
  });

  // An explicit role instead of Lambda's default one: the default attaches the AWS managed policy
  // AWSLambdaBasicExecutionRole (logs:CreateLogGroup etc. on "*"). This one may only write to its own
  // log group; the grants below and the event source add the SQS statements.
  const role = new iam.Role(scope, 'WorkerRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'fanout worker: consume dispatched jobs, send results and continuations, write its own logs',
  });
  logGroup.grantWrite(role);

  const worker = workerFunction(scope, input, role, logGroup);

  // The worker's own SQS calls: results to finished, continuations to dispatched. grantSendMessages
  // grants sqs:SendMessage (which also authorises SendMessageBatch), GetQueueAttributes and GetQueueUrl.
  input.finished.grantSendMessages(worker);
  input.dispatched.grantSendMessages(worker);
  // And results to each run's own queue (functions/wire/run-queues.ts), made by the master at
  // dispatch: `<prefix>fanout-finished-<run>`, a name known only then.
  role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RunResults', actions: ['sqs:SendMessage'], resources: [input.runQueuesArn] }));
  return { worker, logGroup };
}

function workerFunction(scope: Construct, input: FanoutWorkerInput, role: iam.IRole, logGroup: logs.ILogGroup): NodejsFunction {
  const { entry, projectRoot, depsLockFilePath } = workerEntry(input.tasks);
  return new NodejsFunction(scope, 'Worker', {
    entry,
    handler: 'handler',
    projectRoot,
    depsLockFilePath,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: input.memorySizeMb,
    timeout: Duration.seconds(input.timeoutSeconds),
    reservedConcurrentExecutions: input.reservedConcurrency,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    description: 'fanout worker: runs the jobs of dispatched messages and sends their results',
    // Lambda's recursive loop detection stays on. The worker sends jobs it had no time to start back to
    // dispatched (a continuation), which triggers it again: an intended loop, but one a bug could make
    // endless. Lambda follows a message's chain through the trace header the SDK adds to each send and
    // does not run its 17th invocation: it hands the record back to the event source mapping, the
    // message returns to the queue after the visibility timeout, and after
    // `QUEUES.dispatched.maxReceiveCount` such deliveries SQS moves it to the dead-letter queue
    // (`deadLetterAlarm`). So one dispatched message gets at most 16 invocations, ~16 × (timeout − 15 %
    // reserve) of work, ~13.6 minutes at the default 60 s; its unfinished jobs are dead-lettered, and
    // `fanout redrive` starts them on a new chain (the CLI's copy carries no trace header).
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
    recursiveLoop: lambda.RecursiveLoop.TERMINATE,
    environment: {
      [FINISHED_QUEUE_URL_ENV]: input.finished.queueUrl,
      [DISPATCHED_QUEUE_URL_ENV]: input.dispatched.queueUrl,
      POWERTOOLS_SERVICE_NAME,
      POWERTOOLS_LOG_LEVEL: input.logLevel,
      // Stack traces point into functions/*.ts rather than the minified bundle.
      NODE_OPTIONS: '--enable-source-maps',
    },
    bundling: {
      // Bundled by the esbuild in node_modules; Docker is only a fallback when esbuild is missing.
      format: OutputFormat.ESM, // writes index.mjs, so Node loads it as ESM
      target: 'node24',
      mainFields: ['module', 'main'],
      minify: true,
      sourceMap: true,
      // esbuild's warnings and errors only, not its summary of every file written: `cdk synth` stays
      // quiet. The asset hash is computed from the output, so this does not change the template.
      logLevel: LogLevel.WARNING,
      // The SDK is not bundled: the Node.js 24 runtime ships AWS SDK v3, patched by AWS, and the worker
      // only calls SQS SendMessageBatch, a stable API. That keeps the bundle small for cold starts of up
      // to `maxConcurrency` fresh workers. The price is that Lambda's SDK version, not package-lock.json's,
      // runs in AWS; to pin it, drop `externalModules` and set `bundleAwsSDK: true`.
      externalModules: ['@aws-sdk/*', '@smithy/*'],
    },
  });
}
