/**
 * What the master (`fanout dispatch`, `collect`, `redrive`, `status`, `pause`) may do, as one
 * managed policy to attach to the role or user that runs it: least privilege for the operator
 * as for the worker. Every statement names its resources; the run queues are a pattern
 * (`<prefix>fanout-finished-*`), since a run's queue is made at dispatch, and `status` lists them
 * with ListQueues, which IAM authorises on no resource but "*".
 *
 * Each grant is exercised: the deployed-stack tests record every request the CLI makes on LocalStack
 * and check it against this policy as deployed (test/helpers/policy-check.ts).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export type MasterPolicyProps = {
  dispatched: sqs.IQueue;
  deadLetter: sqs.IQueue;
  finished: sqs.IQueue;
  /** ARN pattern of the run queues. */
  runQueuesArn: string;
  eventSourceMappingArn: string;
};

export function createMasterPolicy(scope: Construct, props: MasterPolicyProps): iam.ManagedPolicy {
  const stack = Stack.of(scope);
  return new iam.ManagedPolicy(scope, 'MasterPolicy', {
    description: 'fanout master: dispatch, collect, redrive, status, pause and resume on this stack',
    statements: [
      new iam.PolicyStatement({
        sid: 'Dispatch',
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [props.dispatched.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'RunQueues',
        // TagQueue: dispatch creates the run queue with tags, which needs it beside CreateQueue (CreateQueue's
        // API reference, `tags`). Its age and depth for `status`: GetQueueAttributes.
        actions: ['sqs:CreateQueue', 'sqs:TagQueue', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        resources: [props.runQueuesArn],
      }),
      new iam.PolicyStatement({
        sid: 'Queues',
        actions: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [props.finished.queueArn, props.deadLetter.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'DeadLetters',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        resources: [props.deadLetter.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'WorkerSwitch',
        actions: ['lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping'],
        resources: [props.eventSourceMappingArn],
      }),
      new iam.PolicyStatement({
        sid: 'StackOutputs',
        actions: ['cloudformation:DescribeStacks'],
        resources: [stack.stackId],
      }),
      new iam.PolicyStatement({
        sid: 'FindRunQueues',
        // `status` lists the run queues by their name prefix. ListQueues has no resource type in IAM (the
        // Service Authorization Reference leaves its column empty): only "*" authorises it.
        actions: ['sqs:ListQueues'],
        resources: ['*'],
      }),
    ],
  });
}
