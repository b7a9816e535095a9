import { describe, expect, it } from 'vitest';
import { failuresOf } from '../../cli/workers/event-source-poller.js';
import { lambdaContext, toSqsEvent } from '../../cli/workers/sqs-event.js';

describe('toSqsEvent', () => {
  it('shapes records as Lambda does', () => {
    // Prepare
    const message = {
      MessageId: 'm1',
      ReceiptHandle: 'rh1',
      Body: 'hello',
      MD5OfBody: 'md5',
      MD5OfMessageAttributes: 'md5a',
      Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '10', SenderId: 'me', ApproximateFirstReceiveTimestamp: '11' },
      MessageAttributes: {
        run: { DataType: 'String', StringValue: 'r-1' },
        blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
      },
    };
    // Act
    const event = toSqsEvent([message], 'arn:aws:sqs:eu-west-1:123456789012:fanout-dispatched');
    // Assess
    expect(event.Records[0]).toEqual({
      messageId: 'm1',
      receiptHandle: 'rh1',
      body: 'hello',
      attributes: message.Attributes,
      messageAttributes: {
        run: { stringValue: 'r-1', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: 'aGk=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
      },
      md5OfBody: 'md5',
      md5OfMessageAttributes: 'md5a',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:fanout-dispatched',
      awsRegion: 'eu-west-1',
    });
  });

  it('leaves md5OfMessageAttributes out for a message without attributes', () => {
    const event = toSqsEvent([{ MessageId: 'm', ReceiptHandle: 'r', Body: 'b' }], 'arn:aws:sqs:us-east-1:1:q');
    expect(event.Records[0]).not.toHaveProperty('md5OfMessageAttributes');
    expect(event.Records[0]!.messageAttributes).toEqual({});
  });
});

describe('lambdaContext', () => {
  it('counts the remaining time down from the timeout', async () => {
    const context = lambdaContext({ functionName: 'w', region: 'us-east-1', timeoutMs: 5000 });
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(5000);
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:w');
  });
});

describe('failuresOf (Lambda partial batch response rules)', () => {
  const ids = ['a', 'b', 'c'];
  it.each([
    ['undefined', undefined, []],
    ['null', null, []],
    ['an empty object', {}, []],
    ['null batchItemFailures', { batchItemFailures: null }, []],
    ['an empty list', { batchItemFailures: [] }, []],
    ['listed failures', { batchItemFailures: [{ itemIdentifier: 'b' }] }, ['b']],
  ])('treats %s as success except for listed failures', (_, response, failed) => {
    expect([...failuresOf(response, ids)]).toEqual(failed);
  });

  it.each([
    ['an unknown identifier', { batchItemFailures: [{ itemIdentifier: 'zzz' }] }],
    ['an empty identifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null identifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a misspelt key', { batchItemFailures: [{ itemIdentifer: 'a' }] }],
    ['batchItemFailures that is not a list', { batchItemFailures: 'a' }],
    ['a string', 'ok'],
    ['an array', []],
  ])('fails the whole batch on %s', (_, response) => {
    expect([...failuresOf(response, ids)]).toEqual(ids);
  });
});
