/**
 * The local event-source poller behaves like Lambda's SQS event source mapping, against a real
 * SQS endpoint: what it deletes, what it leaves, redelivery, dead-lettering, heartbeats.
 */
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, type DeleteMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EventSourcePoller, type EventSourcePollerOptions } from '../../cli/workers/event-source-poller.js';
import type { Target } from '../../cli/endpoint/target.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { drain, eventually, queueDepth, sendRaw } from '../helpers/queue-peek.js';

describe.each(backendNames())('event-source poller on %s', (backendName) => {
  const backend = useBackend(backendName);
  const pollers: EventSourcePoller[] = [];

  afterEach(async () => {
    await Promise.all(pollers.splice(0).map((p) => p.stop({ abort: true })));
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

  it('reports a heartbeat SQS refuses for one entry (its visibility lapsed, another consumer has it) as lost, not as an error', async () => {
    // Prepare: two messages; while the handler runs, another consumer takes one of them, as happens
    // when a heartbeat comes late on a loaded machine.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 3 });
    await sendRaw(target.sqs, target.queues.dispatched.url, 'kept');
    await sendRaw(target.sqs, target.queues.dispatched.url, 'taken');
    const errors: Error[] = [];
    const lost: Array<{ messageId: string; operation: string; code: string }> = [];
    let takenId = '';
    let finished = false;
    // Act
    const poller = await poll(target, async (event) => {
      const taken = event.Records.find((r) => r.body === 'taken')!;
      takenId = taken.messageId;
      await target.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: target.queues.dispatched.url, ReceiptHandle: taken.receiptHandle, VisibilityTimeout: 0 }));
      const { Messages } = await target.sqs.send(new ReceiveMessageCommand({ QueueUrl: target.queues.dispatched.url, VisibilityTimeout: 60, WaitTimeSeconds: 1 }));
      expect(Messages?.map((m) => m.Body)).toEqual(['taken']);
      await new Promise((r) => setTimeout(r, 2500));
      finished = true;
      return {};
    }, { concurrency: 1, batchSize: 2, maximumBatchingWindowMs: 0 });
    poller.on('error', (error) => errors.push(error));
    poller.on('lost', (event) => lost.push(event));
    await eventually(() => finished, 20_000);
    // Assess: no error, whatever the server does with the stale handle. The embedded server refuses
    // it, as SQS does: that is one lost message, by id. LocalStack 4.14 accepts it (nothing is lost).
    if (backend.name === 'embedded') {
      await eventually(() => lost.length > 0, 5_000);
      expect(lost[0]).toEqual({ messageId: takenId, operation: 'heartbeat', code: 'ReceiptHandleIsInvalid' });
      expect(new Set(lost.map((l) => l.messageId))).toEqual(new Set([takenId]));
    }
    expect(errors).toEqual([]);
    // The other consumer still holds the taken one where the stale handle was refused (LocalStack lets the poller delete it).
    if (backend.name === 'embedded') await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 1);
  });

  it('reports a delete SQS refuses for one entry as lost, not as an error', async () => {
    // Prepare: the first DeleteMessageBatch answers with one entry refused, as SQS does for a stale receipt handle.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 60 });
    await sendRaw(target.sqs, target.queues.dispatched.url, 'one');
    let refusals = 1;
    target.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'DeleteMessageBatchCommand' || refusals-- <= 0) return next(args);
        const [entry] = (args.input as DeleteMessageBatchCommandInput).Entries!;
        return { output: { Successful: [], Failed: [{ Id: entry!.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'injected' }], $metadata: {} }, response: {} } as never;
      },
      { step: 'initialize', name: 'refuseOneDelete' },
    );
    const errors: Error[] = [];
    const lost: Array<{ messageId: string; operation: string }> = [];
    let handledId = '';
    // Act
    const poller = await poll(target, async (event) => {
      handledId = event.Records[0]!.messageId;
      return {};
    });
    poller.on('error', (error) => errors.push(error));
    poller.on('lost', (event) => lost.push(event));
    await eventually(() => lost.length > 0, 10_000);
    // Assess
    expect(errors).toEqual([]);
    expect(lost).toEqual([{ messageId: handledId, operation: 'delete', code: 'ReceiptHandleIsInvalid' }]);
  });

  it.each(['DeleteMessageBatchCommand', 'ChangeMessageVisibilityBatchCommand'])('retries a %s whose request failed whole, with no error', async (command) => {
    // Prepare: visibility 3 s (heartbeat every second), a 1.5 s handler; the first two calls of the
    // command fail as a dropped connection would (above the SDK's own retries).
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 3 });
    await sendRaw(target.sqs, target.queues.dispatched.url, 'one');
    let failures = 2;
    target.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === command && failures-- > 0) throw Object.assign(new Error('socket hang up (injected)'), { code: 'ECONNRESET' });
        return next(args);
      },
      { step: 'initialize', name: 'failWholeRequests' },
    );
    const errors: Error[] = [];
    let calls = 0;
    let invoked = 0;
    // Act
    const poller = await poll(target, async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 1500));
      return {};
    });
    poller.on('error', (error) => errors.push(error));
    poller.on('invoked', () => invoked++);
    await eventually(() => failures < 0 && invoked > 0, 15_000);
    // Assess: deleted, handled once, no error.
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 0, 10_000);
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 0, inFlight: 0 });
    expect(calls).toBe(1);
    expect(errors).toEqual([]);
  });

  it('keeps an invocation that overruns its timeout invisible until it ends, so its job never runs twice at once', async () => {
    // Prepare: no heartbeat (AWS-exact), a 1 s function timeout and a visibility of 2 s (as on
    // AWS, at least the function timeout), a 3 s job.
    const target = await backend.target({ dispatchedVisibilityTimeoutSeconds: 2 });
    await sendRaw(target.sqs, target.queues.dispatched.url, 'long');
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    let ended = 0;
    const errors: Error[] = [];
    let invoked = 0;
    // Act
    const poller = await poll(target, async () => {
      calls++;
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((r) => setTimeout(r, 3000));
      running--;
      ended++;
      return {};
    }, { heartbeat: false, functionTimeoutMs: 1000, concurrency: 2 });
    poller.on('error', (error) => errors.push(error));
    poller.on('invoked', () => invoked++);
    await eventually(() => invoked > 0 && ended > 0, 20_000);
    // Assess: reported as overrun, ran once, its response applied once it ended.
    expect(maxRunning).toBe(1);
    expect(calls).toBe(1);
    expect(errors.map((e) => `${e.name}: ${e.message}`)).toEqual([expect.stringMatching(/^HandlerTimeoutError: handler ran past its 1000 ms timeout/)]);
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 0);
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 0, inFlight: 0 });
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
