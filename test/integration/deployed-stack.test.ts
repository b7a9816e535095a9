/**
 * The CLI against a deployed stack, on LocalStack's real CloudFormation and Lambda APIs:
 * discovery through DescribeStacks, `status`, and `pause`/`resume` of the event source mapping.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/output/exit-codes.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { createStack } from '../helpers/localstack-stack.js';

const onLocalstack = backendNames().includes('localstack');

describe.runIf(onLocalstack)('a deployed stack on localstack', () => {
  const backend = useBackend('localstack');
  let endpoint: string;
  let stack: string;
  let home: string;
  let deleteStack: () => Promise<void>;
  const cli = (args: string[]) => runCli([...args, '--target', endpoint, '--stack', stack], { FANOUT_HOME: home, FANOUT_TARGET: '' });

  beforeAll(async () => {
    endpoint = backend.endpoint;
    stack = `fanout-test-${randomBytes(3).toString('hex')}`;
    home = await mkdtemp(join(tmpdir(), 'fanout-stack-'));
    deleteStack = await createStack(endpoint, stack);
  });
  afterAll(async () => {
    await deleteStack?.();
  });

  it('finds the queues and the mapping through DescribeStacks, and reports them', async () => {
    const { code, stdout, stderr } = await cli(['status', '--json']);
    expect(code, stderr).toBe(EXIT.ok);
    const status = JSON.parse(stdout);
    expect(status.target).toContain(`stack ${stack} in ${endpoint}`);
    expect(status.queues.dispatched.url).toMatch(new RegExp(`${stack}-fanout-dispatched$`));
    expect(status.eventSourceMapping).toMatchObject({ state: 'Disabled', batchSize: 10, maximumConcurrency: 50, reportsBatchItemFailures: true });
  });

  it('resumes and pauses the event source mapping', async () => {
    // Act
    const resumed = await cli(['resume', '--json']);
    const paused = await cli(['pause', '--json']);
    // Assess
    expect(resumed.code, resumed.stderr).toBe(EXIT.ok);
    expect(JSON.parse(resumed.stdout).eventSourceMapping.state).toMatch(/^Enabl(ing|ed)$/);
    expect(paused.code, paused.stderr).toBe(EXIT.ok);
    expect(JSON.parse(paused.stdout).eventSourceMapping.state).toMatch(/^Disabl(ing|ed)$/);
  });

  it('warns at collect that the mapping is paused, then lists the missing jobs', async () => {
    // Prepare
    await cli(['pause']);
    const dispatched = await cli(['dispatch', '--count', '2']);
    expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
    // Act
    const collected = await cli(['collect', '--timeout', '1']);
    // Assess
    expect(collected.code).toBe(EXIT.incomplete);
    expect(collected.stderr).toMatch(/warning: the worker's event source mapping is Disabl(ing|ed): no job will run until `fanout resume`/);
    expect(collected.stderr).toContain('missing job ids: 0-1');
  });

  it('fails if the stack does not exist, in one line', async () => {
    const { code, stderr } = await runCli(['status', '--target', endpoint, '--stack', 'NoSuchStack'], { FANOUT_HOME: home });
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe(`fanout: stack NoSuchStack not found in ${endpoint}: deploy it with \`npx cdk deploy\`, or name another with --stack\n`);
  });
});
