/**
 * Each run's result queue as dispatch makes it (tagged with its run, with the finished queue's
 * policy about itself) and as `fanout status` shows it while it stands: a run not yet collected.
 */
import { GetQueueAttributesCommand, ListQueueTagsCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { RUN_QUEUE_TAGS } from '../../cli/endpoint/run-queue.js';
import { EXIT } from '../../cli/output/exit-codes.js';
import { queueNameOf, runQueueName } from '../../functions/wire/run-queues.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { queueEnv, runCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';

describe.each(backendNames())('run queues on %s', (name) => {
  const backend = useBackend(name);

  it('are tagged with their run, carry the finished queue\'s policy about themselves, and show in status with their age', async () => {
    // Prepare: a policy on the finished queue, as the stack gives it.
    const target = await backend.target();
    const finishedArn = target.queues.finished.arn;
    const policy = (arn: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'SslOnly', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });
    await target.sqs.send(new SetQueueAttributesCommand({ QueueUrl: target.queues.finished.url, Attributes: { Policy: policy(finishedArn) } }));
    const env = { FANOUT_HOME: await scratchDir('run-queues-'), FANOUT_TARGET: '', ...queueEnv(target), ...backend.cliEnv };
    const args = ['--target', backend.endpoint];
    // Act
    const dispatched = await runCli(['dispatch', '--count', '2', ...args], env);
    const run = dispatched.stdout.trim();
    const status = await runCli(['status', '--json', ...args], env);
    const text = await runCli(['status', ...args], env);
    // Assess
    expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
    expect(status.code, status.stderr).toBe(EXIT.ok);
    const { runQueues } = JSON.parse(status.stdout) as { runQueues: Array<{ run: string; url: string; ageSeconds: number; createdAt: string; visible: number; inFlight: number }> };
    expect(runQueues).toHaveLength(1);
    const [queue] = runQueues;
    expect(queue).toMatchObject({ run, visible: 0, inFlight: 0 });
    expect(queueNameOf(queue!.url)).toBe(runQueueName(queueNameOf(target.queues.finished.url), run));
    expect(queue!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(queue!.ageSeconds).toBeLessThan(600);
    expect(text.stdout).toMatch(new RegExp(`^run queues  1, oldest first .*\\n  ${run}  [\\d.]+ (ms|s|min \\d+ s) old  0 waiting  0 in flight$`, 'm'));
    const { Tags } = await target.sqs.send(new ListQueueTagsCommand({ QueueUrl: queue!.url }));
    expect(Tags).toEqual({ [RUN_QUEUE_TAGS.run]: run, [RUN_QUEUE_TAGS.finishedQueue]: queueNameOf(target.queues.finished.url) });
    const { Attributes } = await target.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue!.url, AttributeNames: ['Policy', 'QueueArn'] }));
    expect(JSON.parse(Attributes!.Policy!)).toEqual(JSON.parse(policy(Attributes!.QueueArn!)));
  });

  it('status says so when no run queue stands', async () => {
    // Prepare
    const target = await backend.target();
    const env = { FANOUT_HOME: await scratchDir('run-queues-'), FANOUT_TARGET: '', ...queueEnv(target), ...backend.cliEnv };
    // Act
    const text = await runCli(['status', '--target', backend.endpoint], env);
    // Assess
    expect(text.code, text.stderr).toBe(EXIT.ok);
    expect(text.stdout).toContain('run queues  none: every run at this target was collected in full\n');
  });
});
