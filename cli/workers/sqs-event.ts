/**
 * Builds the SQSEvent and Context that Lambda's SQS event source mapping passes to a function,
 * from messages received over the SQS API. Field names and shapes follow what Lambda sends
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html), so the handler cannot tell.
 */
import { randomUUID } from 'node:crypto';
import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';

/** The region of a queue ARN: arn:aws:sqs:<region>:<account>:<name>. */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3] ?? '';
}

export function toSqsEvent(messages: readonly Message[], queueArn: string): SQSEvent {
  const awsRegion = regionOfArn(queueArn);
  return { Records: messages.map((message) => toRecord(message, queueArn, awsRegion)) };
}

function toRecord(message: Message, eventSourceARN: string, awsRegion: string): SQSRecord {
  const record: SQSRecord = {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: (message.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes: toLambdaAttributes(message.MessageAttributes),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
  // Lambda includes this key only for messages that carry attributes.
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

/** The SQS API says `StringValue`/`BinaryValue` (bytes); Lambda says `stringValue`/`binaryValue` (base64). */
function toLambdaAttributes(attributes: Record<string, MessageAttributeValue> | undefined): SQSMessageAttributes {
  const out: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    out[name] = {
      ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
      ...(value.BinaryValue !== undefined && { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? 'String',
    };
  }
  return out;
}

export type LambdaContextOptions = {
  functionName: string;
  region: string;
  timeoutMs: number;
  memoryLimitInMB?: number;
};

/** A Lambda-like context: request id, ARN, log names and the remaining time of this invocation. */
export function lambdaContext(options: LambdaContextOptions): Context {
  const deadline = Date.now() + options.timeoutMs;
  const requestId = randomUUID();
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('callback-style completion (done/fail/succeed) is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryLimitInMB ?? 1024),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${options.functionName}`,
    // As on Lambda, one log stream per execution environment (here: this process), not per request.
    logStreamName: `${today}/[$LATEST]pid-${process.pid}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
