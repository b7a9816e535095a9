/**
 * The policy check of the deployed-stack tests (test/helpers/policy-check.ts), on requests written
 * here: the IAM action and resource each request needs, and the statements that grant it.
 */
import { describe, expect, test } from 'vitest';
import { checkPolicies, isGranted, permissionsFor, withoutGrant, type PolicyDocument, type RecordedRequest } from '../helpers/policy-check.js';

const arns = { stackArn: (name: string) => `arn:aws:cloudformation:us-east-1:000000000000:stack/${name}/0f0f` };
const request = (service: string, operation: string, parameters: RecordedRequest['parameters']): RecordedRequest => ({ service, operation, region: 'us-east-1', account: '000000000000', status: 200, parameters });
const queueUrl = (name: string) => `http://127.0.0.1:4566/queue/us-east-1/000000000000/${name}`;
const arn = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

const master: PolicyDocument = {
  Statement: [
    { Sid: 'Dispatch', Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], Resource: arn('s-fanout-dispatched') },
    { Sid: 'RunQueues', Effect: 'Allow', Action: ['sqs:CreateQueue', 'sqs:TagQueue', 'sqs:DeleteQueue'], Resource: arn('s-fanout-finished-*') },
    { Sid: 'StackOutputs', Effect: 'Allow', Action: 'cloudformation:DescribeStacks', Resource: arns.stackArn('s') },
    { Sid: 'FindRunQueues', Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' },
  ],
};

describe('permissionsFor', () => {
  test('a batch operation needs its single-message action, on the queue its URL names', () => {
    // GIVEN / WHEN / THEN
    expect(permissionsFor(request('sqs', 'SendMessageBatch', { QueueUrl: queueUrl('q') }), arns)).toEqual([{ action: 'sqs:SendMessage', resource: arn('q'), operation: 'SendMessageBatch' }]);
    expect(permissionsFor(request('sqs', 'DeleteMessageBatch', { QueueUrl: queueUrl('q') }), arns).map((p) => p.action)).toEqual(['sqs:DeleteMessage']);
    expect(permissionsFor(request('sqs', 'ChangeMessageVisibilityBatch', { QueueUrl: queueUrl('q') }), arns).map((p) => p.action)).toEqual(['sqs:ChangeMessageVisibility']);
  });

  test('CreateQueue with tags needs sqs:TagQueue too; ListQueues is authorised on "*"', () => {
    // GIVEN / WHEN / THEN
    expect(permissionsFor(request('sqs', 'CreateQueue', { QueueName: 'q', tags: ['fanout:run'] }), arns).map((p) => `${p.action} ${p.resource}`)).toEqual([`sqs:CreateQueue ${arn('q')}`, `sqs:TagQueue ${arn('q')}`]);
    expect(permissionsFor(request('sqs', 'CreateQueue', { QueueName: 'q' }), arns).map((p) => p.action)).toEqual(['sqs:CreateQueue']);
    expect(permissionsFor(request('sqs', 'ListQueues', { QueueNamePrefix: 'q-' }), arns)).toEqual([{ action: 'sqs:ListQueues', resource: '*', operation: 'ListQueues' }]);
  });

  test('an event source mapping by its UUID, a stack by its ARN', () => {
    // GIVEN / WHEN / THEN
    expect(permissionsFor(request('lambda', 'UpdateEventSourceMapping', { UUID: 'u-1' }), arns)[0]!.resource).toBe('arn:aws:lambda:us-east-1:000000000000:event-source-mapping:u-1');
    expect(permissionsFor(request('cloudformation', 'DescribeStacks', { StackName: 's' }), arns)[0]!.resource).toBe(arns.stackArn('s'));
  });

  test('fails if a request is of an operation it does not know', () => {
    // GIVEN / WHEN / THEN
    expect(() => permissionsFor(request('sts', 'GetCallerIdentity', {}), arns)).toThrow(/no IAM mapping for sts GetCallerIdentity/);
  });
});

describe('checkPolicies', () => {
  const requests = [
    request('sqs', 'CreateQueue', { QueueName: 's-fanout-finished-r-1', tags: ['fanout:run'] }),
    request('sqs', 'SendMessageBatch', { QueueUrl: queueUrl('s-fanout-dispatched') }),
    request('sqs', 'SendMessageBatch', { QueueUrl: queueUrl('s-fanout-dispatched') }),
    request('sqs', 'DeleteQueue', { QueueUrl: queueUrl('s-fanout-finished-r-1') }),
    request('sqs', 'ListQueues', { QueueNamePrefix: 's-fanout-finished-' }),
    request('cloudformation', 'DescribeStacks', { StackName: 's' }),
  ];

  test('passes when every permission is granted, each checked once', () => {
    // GIVEN / WHEN
    const check = checkPolicies(requests, [master], arns);

    // THEN
    expect(check.missing).toEqual([]);
    expect(check.checked.map((p) => p.action)).toEqual(['cloudformation:DescribeStacks', 'sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:ListQueues', 'sqs:SendMessage', 'sqs:TagQueue']);
  });

  test.each([
    ['RunQueues', 'sqs:DeleteQueue', 'sqs:DeleteQueue', arn('s-fanout-finished-r-1')],
    ['RunQueues', 'sqs:TagQueue', 'sqs:TagQueue', arn('s-fanout-finished-r-1')],
    ['Dispatch', 'sqs:SendMessage', 'sqs:SendMessage', arn('s-fanout-dispatched')],
    ['FindRunQueues', 'sqs:ListQueues', 'sqs:ListQueues', '*'],
  ])('fails when %s loses %s, naming the action and the resource', (sid, removed, action, resource) => {
    // GIVEN
    const policy = withoutGrant(master, sid, removed);

    // WHEN
    const check = checkPolicies(requests, [policy], arns);

    // THEN
    expect(check.missing.map((p) => `${p.action} ${p.resource}`)).toEqual([`${action} ${resource}`]);
  });

  test('a pattern matches only what it names; a Deny wins; a statement with a condition does not grant', () => {
    // GIVEN
    const permission = { action: 'sqs:SendMessage', resource: arn('s-fanout-finished-r-1'), operation: 'SendMessage' };
    const allow = { Effect: 'Allow' as const, Action: 'SQS:Send*', Resource: arn('s-fanout-finished-*') };

    // WHEN / THEN
    expect(isGranted(permission, [{ Statement: [allow] }])).toBe(true);
    expect(isGranted({ ...permission, resource: arn('other-fanout-finished-r-1') }, [{ Statement: [allow] }])).toBe(false);
    expect(isGranted({ ...permission, resource: arn('s-fanout-finishedX') }, [{ Statement: [allow] }])).toBe(false);
    expect(isGranted(permission, [{ Statement: [allow, { Effect: 'Deny', Action: 'sqs:*', Resource: '*' }] }])).toBe(false);
    expect(isGranted(permission, [{ Statement: [{ ...allow, Condition: { Bool: { 'aws:SecureTransport': 'true' } } }] }])).toBe(false);
  });

  test('fails if the grant to remove is not there', () => {
    // GIVEN / WHEN / THEN
    expect(() => withoutGrant(master, 'Dispatch', 'sqs:DeleteQueue')).toThrow(/no statement Dispatch grants sqs:DeleteQueue/);
  });
});
