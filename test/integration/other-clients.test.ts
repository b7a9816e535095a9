/**
 * A program in another language works with fanout from the contract's documentation alone
 * (docs/contract.md): a Python worker reads fanout's job messages and answers them, and fanout's
 * collector takes its results; what the program gets wrong is refused clearly and kept.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { MasterEmitter } from '../../cli/master/events.js';
import type { Target } from '../../cli/endpoint/target.js';
import { runAttributes } from '../../functions/wire/contract.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { openTestStore } from '../helpers/store.js';

const WORKER = fileURLToPath(new URL('../clients/python_worker.py', import.meta.url));

/** Takes every job message off the dispatched queue, has the Python worker answer, sends its answers to `reply`. */
async function pythonWorks(target: Target, mode: 'exact' | 'sloppy' | 'raw'): Promise<number> {
  let answered = 0;
  for (;;) {
    const { Messages = [] } = await target.sqs.send(new ReceiveMessageCommand({ QueueUrl: target.queues.dispatched.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    if (Messages.length === 0) return answered;
    const input = Messages.map((m) => `${m.Body}\n`).join('');
    const output = execFileSync('python3', [WORKER, ...(mode === 'exact' ? [] : [`--${mode}`])], { input, encoding: 'utf8', env: { ...process.env, PYTHONIOENCODING: 'utf-8' } });
    for (const [i, body] of output.trim().split('\n').entries()) {
      const { run, reply } = JSON.parse(Messages[i]!.Body!) as { run: string; reply: string };
      await target.sqs.send(new SendMessageCommand({ QueueUrl: reply, MessageBody: body, MessageAttributes: runAttributes(run) }));
      answered++;
    }
    await target.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: target.queues.dispatched.url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

describe.each(backendNames())('a Python worker written from the contract, on %s', (backendName) => {
  const backend = useBackend(backendName);

  it('runs fanout\'s jobs, and fanout collects its results', async () => {
    // Prepare
    const target = await backend.target();
    const { store } = await openTestStore('python-');
    const { run } = await dispatch({ target, store, task: 'square', inputs: [1, 2, 'three', 4.5, 'é😀'] });
    // Act
    const answered = await pythonWorks(target, 'exact');
    const report = await collect({ target, store, run, timeoutMs: 20_000 });
    // Assess
    expect(answered).toBe(5);
    expect(report).toMatchObject({ complete: true, counts: { ok: 3, failed: 2, quarantined: 0 } });
    expect([...store.results(run)].map((r) => (r.ok ? r.output : r.error.name))).toEqual([1, 4, 'TypeError', 20.25, 'TypeError']);
    expect([...store.results(run)].every((r) => r.worker === 'python-worker' && r.started! > 1.7e12)).toBe(true);
    store.close();
  });

  it('stores its results with emoji written raw, as SQS accepts them, exactly (4/4)', async () => {
    // Prepare: inputs the Python worker cannot square; its error messages quote them, unescaped.
    const target = await backend.target();
    const { store } = await openTestStore('python-raw-');
    const inputs = ['😀', 'a👍🏽b', '𝄞 clef', 'é\u{10FFFF}'];
    const { run } = await dispatch({ target, store, task: 'square', inputs });
    // Act
    const answered = await pythonWorks(target, 'raw');
    const report = await collect({ target, store, run, timeoutMs: 20_000 });
    // Assess
    expect(answered).toBe(4);
    expect(report).toMatchObject({ complete: true, counts: { failed: 4, quarantined: 0 } });
    expect([...store.results(run)].map((r) => (r.ok ? r.output : r.error.message))).toEqual(inputs.map((input) => `square needs a number (given ${JSON.stringify(input)})`));
    store.close();
  });

  it('refuses what it gets wrong, one message at a time, and keeps it', async () => {
    // Prepare
    const target = await backend.target();
    const { store } = await openTestStore('python-sloppy-');
    const { run } = await dispatch({ target, store, task: 'square', inputs: [3] });
    const events = new MasterEmitter();
    const refused: string[] = [];
    events.on('malformed', ({ reason }) => refused.push(reason));
    // Act
    await pythonWorks(target, 'sloppy');
    const report = await collect({ target, store, run, timeoutMs: 3_000, events, checkDeadLetters: false });
    // Assess: named, kept whole, nothing taken as a result.
    expect(refused).toEqual([expect.stringMatching(/^result message is invalid at results\.0\.started/)]);
    expect(report).toMatchObject({ complete: false, counts: { done: 0, quarantined: 1 } });
    expect(store.quarantined(run)[0]!.body).toContain('"worker":"python-worker"');
    store.close();
  });
});
