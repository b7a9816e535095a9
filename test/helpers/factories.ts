/** Fixtures shared by the tests. */
import type { SQSRecord } from 'aws-lambda';
import { encodeJobMessage, type Job } from '../../functions/wire/contract.js';

let sequence = 0;

export function sqsRecord(body: string, overrides: Partial<SQSRecord> = {}): SQSRecord {
  const id = `msg-${++sequence}`;
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 'local', ApproximateFirstReceiveTimestamp: '1' },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:fanout-dispatched',
    awsRegion: 'us-east-1',
    ...overrides,
  };
}

export function jobBody(run: string, task: string, jobs: Job[]): string {
  return encodeJobMessage(run, task, jobs);
}

export function jobs(inputs: unknown[], firstId = 0): Job[] {
  return inputs.map((input, i) => ({ id: firstId + i, input: input as Job['input'] }));
}
