/**
 * The Lambda handler itself, against a real SQS endpoint for its results: partial batch
 * responses for malformed records and for results that could not be sent.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../cli/workers/sqs-event.js';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { defineTask, TaskRegistry } from '../../functions/tasks/index.js';
import { encodeJobMessage, parseJobMessage, parseResultMessage, type Result } from '../../functions/wire/contract.js';
import { MESSAGE_BODY_BYTES } from '../../functions/wire/constants.js';
import { createHandler } from '../../functions/worker.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { jobBody, jobs, sqsRecord } from '../helpers/factories.js';
import { drain } from '../helpers/queue-peek.js';

const context = () => lambdaContext({ functionName: 'test', region: 'us-east-1', timeoutMs: 30_000 });

describe.each(backendNames())('worker handler on %s', (backendName) => {
  const backend = useBackend(backendName);

  it('reports a malformed record as a batch item failure with a logged reason, and processes the others', async () => {
    // Prepare
    const target = await backend.target();
    const logged: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (logged.push(String(chunk)), true));
    const handler = createHandler({ sqs: target.sqs, finishedQueueUrl: target.queues.finished.url, logger: new Logger({ serviceName: 'fanout', logLevel: 'ERROR' }) });
    const bad = sqsRecord('{"v":1,"run":"r-x","task":"square"}');
    const good = [sqsRecord(jobBody('r-x', 'square', jobs([2], 0))), sqsRecord(jobBody('r-x', 'square', jobs([3], 1)))];
    // Act
    const response = await handler({ Records: [good[0]!, bad, good[1]!] }, context()).finally(() => spy.mockRestore());
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: bad.messageId }]);
    const results = (await drain(target.sqs, target.queues.finished.url)).flatMap((m) => parseResultMessage(m.Body!).results);
    expect(results.map((r) => r.ok && r.output).sort()).toEqual([4, 9]);
    const log = logged.map((line) => JSON.parse(line)).find((entry) => entry.message === 'malformed job message');
    expect(log).toMatchObject({ messageId: bad.messageId, run: 'r-x', reason: { name: 'ContractError', message: expect.stringMatching(/invalid at jobs/) } });
  });

  it('reports records whose results could not be sent', async () => {
    // Prepare: a finished queue that does not exist.
    const target = await backend.target();
    const missingQueue = target.queues.finished.url.replace(/fanout-finished-\w+$/, 'fanout-finished-gone');
    const handler = createHandler({ sqs: target.sqs, finishedQueueUrl: missingQueue, logger: new Logger({ logLevel: 'SILENT' }) });
    const record = sqsRecord(jobBody('r-y', 'square', jobs([5])));
    // Act
    const response = await handler({ Records: [record] }, context());
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
  });

  it('sends the results of ten records in one SendMessageBatch call', async () => {
    // Prepare
    const counter = new Map<string, number>();
    const target = await backend.target({}, counter);
    const handler = createHandler({ sqs: target.sqs, finishedQueueUrl: target.queues.finished.url, logger: new Logger({ logLevel: 'SILENT' }) });
    const records = Array.from({ length: 10 }, (_, i) => sqsRecord(jobBody('r-z', 'square', jobs([i], i))));
    counter.clear();
    // Act
    const response = await handler({ Records: records }, context());
    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(Object.fromEntries(counter)).toEqual({ SendMessageBatch: 1 });
  });

  it('sends what finished and hands the unstarted jobs on when the invocation runs short of time', async () => {
    // Prepare: 1.2 s left, of which 1 s is the reserve; each job sleeps 150 ms.
    const target = await backend.target();
    const handler = createHandler({
      sqs: target.sqs,
      finishedQueueUrl: target.queues.finished.url,
      dispatchedQueueUrl: target.queues.dispatched.url,
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const record = sqsRecord(jobBody('r-t', 'sleep', jobs(Array(8).fill(150))));
    // Act
    const response = await handler({ Records: [record] }, lambdaContext({ functionName: 't', region: 'us-east-1', timeoutMs: 1200 }));
    // Assess: the record is done; every job is either in a result or in the continuation, never both.
    expect(response.batchItemFailures).toEqual([]);
    const done = (await drain(target.sqs, target.queues.finished.url)).flatMap((m) => parseResultMessage(m.Body!).results.map((r) => r.id));
    const continued = (await drain(target.sqs, target.queues.dispatched.url)).flatMap((m) => parseJobMessage(m.Body!).jobs.map((j) => j.id));
    expect(done.length).toBeGreaterThan(0);
    expect(continued.length).toBeGreaterThan(0);
    expect([...done, ...continued].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('fails the record when time runs out and there is no dispatched queue to continue on', async () => {
    const target = await backend.target();
    const handler = createHandler({ sqs: target.sqs, finishedQueueUrl: target.queues.finished.url, dispatchedQueueUrl: '', logger: new Logger({ logLevel: 'SILENT' }) });
    const record = sqsRecord(jobBody('r-u', 'sleep', jobs(Array(8).fill(150))));
    const response = await handler({ Records: [record] }, lambdaContext({ functionName: 't', region: 'us-east-1', timeoutMs: 1200 }));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
  });

  it('keeps each invocation\'s failures its own when invocations overlap', async () => {
    // Prepare: results of run r-doomed cannot be sent (as over a dropped connection).
    const target = await backend.target();
    target.sqs.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'SendMessageBatchCommand' && JSON.stringify(args.input).includes('r-doomed')) {
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'failDoomed' },
    );
    const handler = createHandler({ sqs: target.sqs, finishedQueueUrl: target.queues.finished.url, logger: new Logger({ logLevel: 'SILENT' }) });
    const doomed = sqsRecord(jobBody('r-doomed', 'sleep', jobs([10])));
    const slow = sqsRecord(jobBody('r-ok', 'sleep', jobs([150])));
    const quick = sqsRecord(jobBody('r-ok', 'square', jobs([3], 1)));
    // Act: a second invocation starts while the first is still running.
    const first = handler({ Records: [doomed, slow] }, context());
    await new Promise((r) => setTimeout(r, 60));
    const second = handler({ Records: [quick] }, context());
    // Assess
    expect(await first).toEqual({ batchItemFailures: [{ itemIdentifier: doomed.messageId }] });
    expect(await second).toEqual({ batchItemFailures: [] });
  });

  it('fails at start-up if the finished queue URL is not configured', () => {
    expect(() => createHandler({ finishedQueueUrl: '' })).toThrow(/FANOUT_FINISHED_QUEUE_URL is not set/);
  });

  describe('one odd job among 400 good ones in a message', () => {
    // Each value a task might return (or throw) that JSON cannot carry exactly, or that grows past the
    // message limit once escaped: only its own job gets an error result.
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const room = MESSAGE_BODY_BYTES;
    const odd: Array<[string, () => unknown, string]> = [
      ['undefined', () => undefined, 'OutputError'],
      ['NaN', () => Number.NaN, 'OutputError'],
      ['Infinity (1e309)', () => 1e309, 'OutputError'],
      ['-0', () => -0, 'OutputError'],
      ['2^53 + 1 as a BigInt', () => 2n ** 53n + 1n, 'OutputError'],
      ['a cycle', () => cyclic, 'OutputError'],
      ['a function', () => () => 1, 'OutputError'],
      ['a Map', () => new Map([[1, 2]]), 'OutputError'],
      ['emoji that triple once escaped', () => '😀'.repeat(Math.ceil(room / 12) + 10), 'OversizeError'],
      ['U+FFFF that doubles once escaped', () => '\uffff'.repeat(Math.ceil(room / 6) + 10), 'OversizeError'],
      ['an Error whose name is not a string', () => { throw Object.assign(new Error('m'), { name: 42 }); }, 'Error'],
      ['a thrown object without a prototype', () => { throw Object.create(null); }, 'NonErrorThrown'],
      ['a thrown null', () => { throw null; }, 'NonErrorThrown'],
    ];
    const tasks = new TaskRegistry({
      odd: defineTask({ name: 'odd', run: (input: unknown) => (typeof input === 'number' && input < 0 ? odd[-input - 1]![1]() : (input as number) * 2) }),
    });

    it.each(odd.map(([name, , expected], i) => [name, -(i + 1), expected] as const))('%s costs only its own job', async (_, oddInput, expected) => {
      // Prepare: 400 good jobs with the odd one in the middle, in one message.
      const target = await backend.target();
      const handler = createHandler({ tasks, sqs: target.sqs, finishedQueueUrl: target.queues.finished.url, logger: new Logger({ logLevel: 'SILENT' }) });
      const inputs = Array.from({ length: 401 }, (_, i) => (i === 200 ? oddInput : i));
      const record = sqsRecord(jobBody('r-odd', 'odd', jobs(inputs)));
      // Act
      const response = await handler({ Records: [record] }, context());
      // Assess
      expect(response.batchItemFailures).toEqual([]);
      const results = (await drain(target.sqs, target.queues.finished.url)).flatMap((m) => parseResultMessage(m.Body!).results);
      expect(results).toHaveLength(401);
      const byId = new Map(results.map((r) => [r.id, r] as const));
      expect(byId.get(200)).toMatchObject({ ok: false, error: { name: expected } });
      const neighbours = results.filter((r) => r.id !== 200);
      expect(neighbours.every((r: Result) => r.ok && r.output === r.id * 2)).toBe(true);
    });
  });

  it("sends to the run's own result queue named in the job message, and only to one of its stack's", async () => {
    // Prepare
    const target = await backend.target();
    const runQueue = (await target.sqs.send(new CreateQueueCommand({ QueueName: `${target.queues.finished.url.split('/').at(-1)}-r-own` }))).QueueUrl!;
    const reply = new URL(new URL(runQueue).pathname, target.queues.finished.url).href;
    const handler = createHandler({ sqs: target.sqs, finishedQueueUrl: target.queues.finished.url, logger: new Logger({ logLevel: 'SILENT' }) });
    const own = sqsRecord(encodeJobMessage('r-own', 'square', jobs([7]), reply));
    const foreign = sqsRecord(encodeJobMessage('r-own', 'square', jobs([8]), 'https://sqs.eu-west-1.amazonaws.com/123456789012/someone-elses-queue'));
    // Act
    const response = await handler({ Records: [own, foreign] }, context());
    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: foreign.messageId }]);
    const results = (await drain(target.sqs, reply)).flatMap((m) => parseResultMessage(m.Body!).results);
    expect(results).toMatchObject([{ id: 0, ok: true, output: 49 }]);
    expect(await drain(target.sqs, target.queues.finished.url)).toEqual([]);
  });

  it('completes, without sending, a record whose run result queue is gone (the run was collected)', async () => {
    // Prepare
    const target = await backend.target();
    const gone = new URL(`${new URL(target.queues.finished.url).pathname}-r-gone`, target.queues.finished.url).href;
    const handler = createHandler({ sqs: target.sqs, finishedQueueUrl: target.queues.finished.url, logger: new Logger({ logLevel: 'SILENT' }) });
    const record = sqsRecord(encodeJobMessage('r-gone', 'square', jobs([3]), gone));
    // Act
    const response = await handler({ Records: [record] }, context());
    // Assess
    expect(response.batchItemFailures).toEqual([]);
  });
});
