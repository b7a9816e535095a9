import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, test } from 'vitest';
import { DISPATCHED_QUEUE_URL_ENV, FINISHED_QUEUE_URL_ENV, QUEUES, WORKER_TIMEOUT_SECONDS } from '../../../functions/wire/constants.js';
import { FanoutPropsError } from '../../../cdk/errors.js';
import { Fanout, type FanoutProps } from '../../../cdk/fanout.js';
import { fanoutStack, fanoutTemplate, testApp } from './helpers.js';

/** Logical-ID references to the three queues, as they appear in the template. */
function queueRefs(template: Template, prefix = '') {
  const logicalId = (name: string) => {
    const ids = Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { QueueName: `${prefix}${name}` } }));
    expect(ids).toHaveLength(1);
    return ids[0]!;
  };
  const dispatched = logicalId(QUEUES.dispatched.name);
  const deadLetter = logicalId(QUEUES.deadLetter.name);
  const finished = logicalId(QUEUES.finished.name);
  return {
    dispatched,
    deadLetter,
    finished,
    arn: (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] }),
  };
}

/** The alarm with the given construct ID under Fanout/Fanout. */
function alarm(template: Template, constructId: string): { id: string; props: Record<string, unknown> } {
  const found = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) => id.startsWith(`Fanout${constructId}`));
  expect(found).toHaveLength(1);
  const [id, resource] = found[0]!;
  return { id, props: (resource as { Properties: Record<string, unknown> }).Properties };
}

function onlyResource(template: Template, type: string): { id: string; props: Record<string, unknown> } {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  const [id, resource] = found[0]!;
  return { id, props: (resource as { Properties: Record<string, unknown> }).Properties };
}

describe('Fanout', () => {
  test('defaults', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate();
    const q = queueRefs(template);

    // THEN: three queues, SSE-SQS, SSL only, explicit size and retention from functions/constants.ts
    template.resourceCountIs('AWS::SQS::Queue', 3);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: QUEUES.dispatched.name,
      VisibilityTimeout: QUEUES.dispatched.visibilityTimeoutSeconds,
      MessageRetentionPeriod: QUEUES.dispatched.retentionSeconds,
      MaximumMessageSize: QUEUES.messageBytes,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: q.arn(q.deadLetter), maxReceiveCount: QUEUES.dispatched.maxReceiveCount },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: QUEUES.deadLetter.name,
      MessageRetentionPeriod: QUEUES.deadLetter.retentionSeconds,
      MaximumMessageSize: QUEUES.messageBytes,
      SqsManagedSseEnabled: true,
      RedrivePolicy: Match.absent(),
      RedriveAllowPolicy: { redrivePermission: 'byQueue', sourceQueueArns: [Match.anyValue()] },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: QUEUES.finished.name,
      VisibilityTimeout: QUEUES.finished.visibilityTimeoutSeconds,
      MessageRetentionPeriod: QUEUES.finished.retentionSeconds,
      MaximumMessageSize: QUEUES.messageBytes,
      SqsManagedSseEnabled: true,
      RedrivePolicy: Match.absent(),
    });
    expect(QUEUES.deadLetter.retentionSeconds).toBe(14 * 24 * 3600);
    for (const queue of [q.dispatched, q.deadLetter, q.finished]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queue }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Resource: q.arn(queue),
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      });
    }

    // THEN: the worker
    const worker = onlyResource(template, 'AWS::Lambda::Function');
    const logGroup = onlyResource(template, 'AWS::Logs::LogGroup');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: WORKER_TIMEOUT_SECONDS,
      MemorySize: 1769,
      RecursiveLoop: 'Terminate',
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroup.id } },
      Environment: {
        Variables: {
          [FINISHED_QUEUE_URL_ENV]: { Ref: q.finished },
          [DISPATCHED_QUEUE_URL_ENV]: { Ref: q.dispatched },
          POWERTOOLS_SERVICE_NAME: 'fanout',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
    expect(logGroup.props).toEqual({ RetentionInDays: 30 });

    // THEN: the event source
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: q.arn(q.dispatched),
      FunctionName: { Ref: worker.id },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: Match.absent(),
      ScalingConfig: { MaximumConcurrency: 50 },
      ProvisionedPollerConfig: Match.absent(),
      MetricsConfig: { Metrics: ['EventCount'] },
    });
    expect(worker.props.ReservedConcurrentExecutions).toBeUndefined();

    // THEN: four alarms, notifying nobody
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    expect(alarm(template, 'DeadLetterAlarm').props).toEqual({
      AlarmDescription: expect.stringMatching(/dead-letter queue/),
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [q.deadLetter, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'ignore',
    });
    expect(alarm(template, 'WorkerErrorsAlarm').props).toEqual({
      AlarmDescription: expect.stringMatching(/worker invocations failed/),
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: worker.id } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm(template, 'MessageAgeAlarm').props).toEqual({
      AlarmDescription: expect.stringMatching(/waited more than 1 hour/),
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [q.dispatched, 'QueueName'] } }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 3600,
      TreatMissingData: 'notBreaching',
    });
    expect(alarm(template, 'ThrottlesAlarm').props).toEqual({
      AlarmDescription: expect.stringMatching(/worker invocations were throttled/),
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: worker.id } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
  });

  test('the dead-letter queue outlives the stack and a replacement; the other queues go with it', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate();
    const q = queueRefs(template);

    // THEN
    const resources = template.toJSON().Resources as Record<string, { DeletionPolicy?: string; UpdateReplacePolicy?: string }>;
    expect(resources[q.deadLetter]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    for (const queue of [q.dispatched, q.finished]) expect(resources[queue]).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('the dead-letter queue takes messages from the dispatched queue only, with no reference back to it', () => {
    // GIVEN: an account and region, so the ARN built from the queue name is a literal
    const app = testApp();
    const stack = new Stack(app, 'Env', { env: { account: '123456789012', region: 'eu-west-1' } });

    // WHEN
    new Fanout(stack, 'Fanout', { queueNamePrefix: 'dev-' });

    // THEN: the dispatched queue's own ARN, and no Ref / GetAtt that would close a circle with its RedrivePolicy
    const template = Template.fromStack(stack);
    const q = queueRefs(template, 'dev-');
    const deadLetter = template.toJSON().Resources[q.deadLetter] as { Properties: Record<string, unknown> };
    expect(deadLetter.Properties.RedriveAllowPolicy).toEqual({
      redrivePermission: 'byQueue',
      sourceQueueArns: [`arn:aws:sqs:eu-west-1:123456789012:dev-${QUEUES.dispatched.name}`],
    });
    expect(JSON.stringify(deadLetter)).not.toContain(q.dispatched);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `dev-${QUEUES.dispatched.name}`,
      RedrivePolicy: { deadLetterTargetArn: q.arn(q.deadLetter), maxReceiveCount: QUEUES.dispatched.maxReceiveCount },
    });
  });

  test('the dispatched queue hides a message for at least 6 × the worker timeout', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate();

    // THEN
    const worker = onlyResource(template, 'AWS::Lambda::Function');
    const dispatched = Object.values(
      template.findResources('AWS::SQS::Queue', { Properties: { QueueName: QUEUES.dispatched.name } }),
    )[0] as { Properties: { VisibilityTimeout: number } };
    expect(dispatched.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (worker.props.Timeout as number));
  });

  test('least privilege: one role, no managed policy, exact actions on exact resources', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate();
    const q = queueRefs(template);
    const logGroup = onlyResource(template, 'AWS::Logs::LogGroup');

    // THEN
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
      },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    template.resourceCountIs('AWS::IAM::Policy', 1);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          // The worker's own log group.
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: q.arn(logGroup.id) },
          // grantSendMessages: results to finished, continuations to dispatched.
          {
            Effect: 'Allow',
            Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
            Resource: [q.arn(q.dispatched), q.arn(q.finished)],
          },
          // Each run's own result queue, made by the master at dispatch: this stack's pattern only.
          { Sid: 'RunResults', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: runQueues('') },
          // grantConsumeMessages, made by the event source for Lambda's pollers.
          {
            Effect: 'Allow',
            Action: [
              'sqs:ChangeMessageVisibility',
              'sqs:DeleteMessage',
              'sqs:GetQueueAttributes',
              'sqs:GetQueueUrl',
              'sqs:ReceiveMessage',
            ],
            Resource: q.arn(q.dispatched),
          },
        ],
      },
    });
  });

  test('the master policy: what dispatch, collect, redrive, status and pause need, on exact resources', () => {
    // GIVEN / WHEN
    const { stack } = fanoutStack();
    const template = Template.fromStack(stack);
    const q = queueRefs(template);

    // THEN: attached to nothing (the operator attaches it), exported as a stack output.
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: Match.absent(),
      Users: Match.absent(),
      PolicyDocument: {
        Statement: [
          { Sid: 'Dispatch', Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: q.arn(q.dispatched) },
          {
            Sid: 'RunQueues',
            Effect: 'Allow',
            Action: ['sqs:ChangeMessageVisibility', 'sqs:CreateQueue', 'sqs:DeleteMessage', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:TagQueue'],
            Resource: runQueues(''),
          },
          { Sid: 'Queues', Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: [q.arn(q.deadLetter), q.arn(q.finished)] },
          { Sid: 'DeadLetters', Effect: 'Allow', Action: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'], Resource: q.arn(q.deadLetter) },
          { Sid: 'WorkerSwitch', Effect: 'Allow', Action: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'], Resource: Match.anyValue() },
          { Sid: 'StackOutputs', Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: { Ref: 'AWS::StackId' } },
          // ListQueues authorises on "*" only; it lists queue URLs, for `status` to find run queues.
          { Sid: 'FindRunQueues', Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' },
        ],
      },
    });
    expect(stack.fanout.node.tryFindChild('MasterPolicy')).toBe(stack.fanout.masterPolicy);
    template.hasOutput('MasterPolicyArn', { Value: { Ref: Match.stringLikeRegexp('^FanoutMasterPolicy') } });
  });

  test('construct IDs are the contract', () => {
    // GIVEN / WHEN
    const { stack } = fanoutStack();

    // THEN
    const fanout = stack.fanout;
    expect(fanout.node.tryFindChild('Dispatched')).toBe(fanout.dispatched);
    expect(fanout.node.tryFindChild('DeadLetter')).toBe(fanout.deadLetter);
    expect(fanout.node.tryFindChild('Finished')).toBe(fanout.finished);
    expect(fanout.node.tryFindChild('Worker')).toBe(fanout.worker);
    expect(fanout.node.tryFindChild('DeadLetterAlarm')).toBe(fanout.deadLetterAlarm);
    expect(fanout.node.tryFindChild('WorkerErrorsAlarm')).toBe(fanout.workerErrorsAlarm);
    expect(fanout.node.tryFindChild('MessageAgeAlarm')).toBe(fanout.messageAgeAlarm);
    expect(fanout.node.tryFindChild('ThrottlesAlarm')).toBe(fanout.throttlesAlarm);
  });

  test('queueNamePrefix', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ queueNamePrefix: 'dev-' });

    // THEN: the dead-letter queue's source is the prefixed dispatched queue
    for (const name of [QUEUES.dispatched.name, QUEUES.deadLetter.name, QUEUES.finished.name]) {
      template.hasResourceProperties('AWS::SQS::Queue', { QueueName: `dev-${name}` });
    }
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: `dev-${QUEUES.deadLetter.name}`,
      RedriveAllowPolicy: {
        sourceQueueArns: [{ 'Fn::Join': ['', Match.arrayWith([`:dev-${QUEUES.dispatched.name}`])] }],
      },
    });
    // …and the worker may send results to this stack's run queues only.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Sid: 'RunResults', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: runQueues('dev-') }]) },
    });
  });

  test('workerTimeout', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ workerTimeout: Duration.minutes(5) });

    // THEN: the visibility timeout follows
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 300 });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: QUEUES.dispatched.name, VisibilityTimeout: 1800 });
  });

  test('memorySizeMb', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ memorySizeMb: 512 });

    // THEN
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 512 });
  });

  test('logRetention', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ logRetention: logs.RetentionDays.ONE_WEEK });

    // THEN
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  test('logLevel', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ logLevel: 'DEBUG' });

    // THEN
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG' }) },
    });
  });

  test('batchSize', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ batchSize: 1 });

    // THEN
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 1 });
  });

  test('maxBatchingWindow', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ maxBatchingWindow: Duration.seconds(2), batchSize: 100 });

    // THEN
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumBatchingWindowInSeconds: 2,
      BatchSize: 100,
    });
  });

  test('maxConcurrency', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ maxConcurrency: 2 });

    // THEN
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 2 } });
  });

  test('provisionedPollers', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ provisionedPollers: { minimum: 5, maximum: 100 } });

    // THEN: provisioned mode, and no maximum concurrency (AWS takes one or the other)
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: { MinimumPollers: 5, MaximumPollers: 100 },
      ScalingConfig: Match.absent(),
      MetricsConfig: { Metrics: ['EventCount'] },
    });
  });

  test("provisionedPollers with AWS's defaults written out", () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ provisionedPollers: {} });

    // THEN
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 200 },
      ScalingConfig: Match.absent(),
    });
  });

  test('reservedConcurrency', () => {
    // GIVEN / WHEN
    const { stack } = fanoutStack({ reservedConcurrency: 80 });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 80 });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('reservedConcurrency below maxConcurrency is a warning: the event source would be throttled', () => {
    // GIVEN / WHEN
    const { stack } = fanoutStack({ reservedConcurrency: 20 });

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('reservedConcurrency 20 is below maxConcurrency 50'));
    expect(warnings).toHaveLength(1);
  });

  test('alarmTopic', () => {
    // GIVEN
    const stack = new Stack(testApp(), 'Alarms');
    const topic = new sns.Topic(stack, 'Alerts');

    // WHEN
    new Fanout(stack, 'Fanout', { alarmTopic: topic });

    // THEN: every alarm notifies the topic when it goes off and when it clears
    const template = Template.fromStack(stack);
    const topicRef = { Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) };
    for (const id of ['DeadLetterAlarm', 'WorkerErrorsAlarm', 'MessageAgeAlarm', 'ThrottlesAlarm']) {
      expect(alarm(template, id).props).toMatchObject({ AlarmActions: [topicRef], OKActions: [topicRef] });
      expect(alarm(template, id).props.InsufficientDataActions).toBeUndefined();
    }
  });

  test('without alarmTopic, no alarm has actions', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate();

    // THEN
    for (const id of ['DeadLetterAlarm', 'WorkerErrorsAlarm', 'MessageAgeAlarm', 'ThrottlesAlarm']) {
      expect(alarm(template, id).props).not.toHaveProperty('AlarmActions');
      expect(alarm(template, id).props).not.toHaveProperty('OKActions');
    }
  });

  test('tasks', () => {
    // GIVEN / WHEN
    const { stack } = fanoutStack({ tasks: 'test/fixtures/project/tasks.ts' });

    // THEN: the worker bundles a generated entry that builds the handler around the module's tasks
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
    const dir = join(process.cwd(), 'node_modules', '.cache', 'fanout');
    const generated = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
    expect(generated.filter((source) => source.includes(`import * as tasks from ${JSON.stringify(join(process.cwd(), 'test/fixtures/project/tasks.ts'))};`))).toHaveLength(1);
    expect(generated.join('\n')).toContain('createHandler({ tasks: new TaskRegistry(tasks) })');
  });

  test('messageAgeAlarmThreshold', () => {
    // GIVEN / WHEN
    const template = fanoutTemplate({ messageAgeAlarmThreshold: Duration.minutes(30) });

    // THEN
    expect(alarm(template, 'MessageAgeAlarm').props).toMatchObject({ Threshold: 1800, AlarmDescription: expect.stringMatching(/30 minutes/) });
  });

  test.each<[string, FanoutProps, RegExp]>([
    ['queueNamePrefix has a dot', { queueNamePrefix: 'dev.' }, /queueNamePrefix may only contain .* \(given 'dev\.'\)/],
    ['queueNamePrefix is too long', { queueNamePrefix: 'x'.repeat(63) }, /queueNamePrefix must be at most 62 characters .* \(given 63: /],
    ['workerTimeout is over 15 minutes', { workerTimeout: Duration.minutes(16) }, /workerTimeout must be between 1 and 900 seconds inclusive \(given 960\)/],
    ['workerTimeout is not whole seconds', { workerTimeout: Duration.millis(1500) }, /workerTimeout must be a whole number of seconds \(given 1 second 500 millis\)/],
    ['memorySizeMb is below 128', { memorySizeMb: 64 }, /memorySizeMb must be a whole number between 128 and 10240 inclusive \(given 64\)/],
    ['memorySizeMb is fractional', { memorySizeMb: 1024.5 }, /memorySizeMb .* \(given 1024\.5\)/],
    ['batchSize is over 10 without a window', { batchSize: 11 }, /batchSize must be a whole number between 1 and 10 inclusive \(given 11\)\. Batches larger than 10 need a maxBatchingWindow/],
    ['batchSize is over 10000', { batchSize: 10_001, maxBatchingWindow: Duration.seconds(1) }, /batchSize must be a whole number between 1 and 10000 inclusive \(given 10001\)/],
    ['batchSize is 0', { batchSize: 0 }, /batchSize .* \(given 0\)/],
    ['maxBatchingWindow is over 5 minutes', { maxBatchingWindow: Duration.seconds(301) }, /maxBatchingWindow must be .* between 0 and 300 inclusive \(given 5 minutes 1 second\)/],
    ['maxConcurrency is 1', { maxConcurrency: 1 }, /maxConcurrency must be a whole number between 2 and 1000 inclusive \(given 1\)/],
    ['maxConcurrency is over 1000', { maxConcurrency: 1001 }, /maxConcurrency .* \(given 1001\)/],
    ['messageAgeAlarmThreshold is under a minute', { messageAgeAlarmThreshold: Duration.seconds(59) }, /messageAgeAlarmThreshold must be a whole number of seconds, at least 60 and below the dispatched queue's retention of 345600 \(given 59 seconds\)/],
    ['messageAgeAlarmThreshold reaches the retention', { messageAgeAlarmThreshold: Duration.days(4) }, /messageAgeAlarmThreshold .* \(given 4 days\)/],
    ['messageAgeAlarmThreshold is not whole seconds', { messageAgeAlarmThreshold: Duration.millis(60_500) }, /messageAgeAlarmThreshold .* \(given 1 minute 500 millis\)/],
    ['maxConcurrency and provisionedPollers are both given', { maxConcurrency: 50, provisionedPollers: { maximum: 10 } }, /maxConcurrency and provisionedPollers exclude each other \(given maxConcurrency 50 and provisionedPollers \{"maximum":10\}\)/],
    ['provisionedPollers.minimum is 1', { provisionedPollers: { minimum: 1 } }, /provisionedPollers\.minimum must be a whole number between 2 and 200 inclusive \(given 1\)/],
    ['provisionedPollers.minimum is over 200', { provisionedPollers: { minimum: 201, maximum: 300 } }, /provisionedPollers\.minimum .* \(given 201\)/],
    ['provisionedPollers.maximum is over 2000', { provisionedPollers: { maximum: 2001 } }, /provisionedPollers\.maximum must be a whole number between 2 and 2000 inclusive \(given 2001\)/],
    ['provisionedPollers.maximum is fractional', { provisionedPollers: { maximum: 2.5 } }, /provisionedPollers\.maximum .* \(given 2\.5\)/],
    ['provisionedPollers.minimum is above the maximum', { provisionedPollers: { minimum: 50, maximum: 10 } }, /provisionedPollers\.minimum must be at most provisionedPollers\.maximum \(given minimum 50, maximum 10\)/],
    ['provisionedPollers.minimum is above the default maximum', { provisionedPollers: { minimum: 201 } }, /provisionedPollers\.minimum .* \(given 201\)/],
    ['reservedConcurrency is 0', { reservedConcurrency: 0 }, /reservedConcurrency must be a whole number of at least 1 \(given 0\)\. To stop the worker, use `fanout pause`/],
    ['reservedConcurrency is fractional', { reservedConcurrency: 1.5 }, /reservedConcurrency .* \(given 1\.5\)/],
    ['logLevel is unknown', { logLevel: 'VERBOSE' as FanoutProps['logLevel'] }, /logLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT \(given 'VERBOSE'\)/],
    ['tasks names a missing module', { tasks: 'src/nope.ts' }, /tasks must name your tasks module, relative to the directory `cdk synth` runs in \(.+\); given "src\/nope\.ts", but .+\/src\/nope\.ts does not exist/],
  ])('fails if %s', (_, props, message) => {
    // GIVEN / WHEN / THEN
    expect(() => fanoutStack(props)).toThrow(FanoutPropsError);
    expect(() => fanoutStack(props)).toThrow(message);
  });
});

/** The ARN pattern of a stack's run queues, as the template writes it. */
function runQueues(prefix: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${prefix}${QUEUES.finished.name}-*`]] };
}
