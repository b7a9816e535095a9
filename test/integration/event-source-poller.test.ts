/**
 * The local event-source poller behaves like Lambda's SQS event source mapping, against a real
 * SQS endpoint: what it deletes, what it leaves, redelivery, dead-lettering, heartbeats.
 */
import type { SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventSourcePoller, type EventSourcePollerOptions } from '../../cli/workers/event-source-poller.js';
import type { Target } from '../../cli/endpoint/target.js';
import { backendNames, startBackend, type Backend } from '../helpers/backends.js';
import { drain, eventually, queueDepth, sendRaw } from '../helpers/queue-peek.js';

describe.each(backendNames())('event-source poller on %s', (backendName) => {
  let backend: Backend;
  const pollers: EventSourcePoller[] = [];

  beforeAll(async () => {
    backend = await startBackend(backendName);
  });
  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop({ abort: true })));
  });
  afterAll(async () => {
    await backend.stop();
  });

  async function poll(target: Target, handler: EventSourcePollerOptions['handler'], options: Partial<EventSourcePollerOptions> = {}): Promise<EventSourcePoller> {
    const poller = new EventSourcePoller({
      sqs: target.sqs,
      queueUrl: target.queues.dispatched.url,
      queueArn: target.queues.dispatched.arn,
      handler,
      waitTimeSeconds: 1,
      concurrency: 1,
      ...options,
    });
    pollers.push(poller);
    await poller.start();
    return poller;
  }

  it('passes Lambda-shaped records and deletes them on success', async () => {
    // Prepare
    const target = await backend.target();
    const events: SQSEvent[] = [];
    await sendRaw(target.sqs, target.queues.dispatched.url, 'one');
    // Act
    await poll(target, async (event) => {
      events.push(event);
      return { batchItemFailures: [] };
    });
    await eventually(() => events.length > 0);
    // Assess
    const record = events[0]!.Records[0]!;
    expect(record).toMatchObject({ body: 'one', eventSource: 'aws:sqs', eventSourceARN: target.queues.dispatched.arn, awsRegion: 'us-east-1' });
    expect(record.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 0);
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('leaves the batch item failures on the queue and deletes the rest', async () => {
    // Prepare
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 60 });
    for (const body of ['keep', 'drop-1', 'drop-2']) await sendRaw(target.sqs, target.queues.dispatched.url, body);
    let handled = 0;
    // Act
    await poll(target, async (event) => {
      handled += event.Records.length;
      return { batchItemFailures: event.Records.filter((r) => r.body === 'keep').map((r) => ({ itemIdentifier: r.messageId })) };
    }, { heartbeat: false });
    await eventually(() => handled === 3);
    // Assess
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 1);
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 0, inFlight: 1 });
  });

  it.each([
    ['throws', async () => { throw new Error('handler crashed'); }],
    ['returns an invalid response', async () => 'not a batch response' as never],
    ['names a record that is not in the batch', async () => ({ batchItemFailures: [{ itemIdentifier: 'nope' }] })],
  ])('leaves every record when the handler %s', async (_, handler) => {
    // Prepare
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 60 });
    await sendRaw(target.sqs, target.queues.dispatched.url, 'a');
    await sendRaw(target.sqs, target.queues.dispatched.url, 'b');
    let invoked = 0;
    // Act
    const poller = await poll(target, handler, { heartbeat: false });
    poller.on('invoked', ({ records }) => (invoked += records));
    poller.on('error', () => {});
    await eventually(() => invoked === 2);
    // Assess
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 0, inFlight: 2 });
  });

  it('redelivers a failed record after the visibility timeout, then dead-letters it after maxReceiveCount', async () => {
    // Prepare
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 1, maxReceiveCount: 2 });
    await sendRaw(target.sqs, target.queues.dispatched.url, 'poison');
    const receiveCounts: string[] = [];
    // Act
    await poll(target, async (event) => {
      receiveCounts.push(event.Records[0]!.attributes.ApproximateReceiveCount);
      return { batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] };
    }, { heartbeat: false });
    // Assess
    await eventually(async () => (await queueDepth(target.sqs, target.queues.deadLetter.url)).visible === 1, 30_000, 250);
    expect(receiveCounts).toEqual(['1', '2']);
    const [dead] = await drain(target.sqs, target.queues.deadLetter.url);
    expect(dead!.Body).toBe('poison');
  });

  it('keeps a long-running batch invisible with heartbeats, so it is not handled twice', async () => {
    // Prepare: visibility 1 s, a handler that takes 3.5 s.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 1 });
    await sendRaw(target.sqs, target.queues.dispatched.url, 'slow');
    let calls = 0;
    let finished = false;
    // Act
    await poll(target, async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 3500));
      finished = true;
      return {};
    }, { concurrency: 2 });
    await eventually(() => finished, 20_000);
    // Assess
    expect(calls).toBe(1);
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 0);
  });

  it('releases what a draining receive brings instead of holding it for the visibility timeout', async () => {
    // Prepare: a poller waiting on an empty queue.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 60 });
    let handled = 0;
    const poller = await poll(target, async (event) => {
      handled += event.Records.length;
      return {};
    });
    await new Promise((r) => setTimeout(r, 200));
    // Act: stop (graceful), then a message arrives while the long poll is still out.
    const stopped = poller.stop();
    await sendRaw(target.sqs, target.queues.dispatched.url, 'late');
    await stopped;
    // Assess: not handled, and visible again at once.
    expect(handled).toBe(0);
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('fails if batchSize is out of range, naming the value', () => {
    expect(() => new EventSourcePoller({ sqs: {} as never, queueUrl: '', queueArn: 'arn:aws:sqs:r:1:q', handler: async () => ({}), batchSize: 0 })).toThrow(
      'batchSize must be an integer from 1 to 10000 (given 0)',
    );
  });
});
