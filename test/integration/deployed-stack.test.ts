/**
 * The stack users deploy, deployed: `cdk bootstrap`, then `cdk deploy` of this repository's app
 * (cdk/app.ts, the built-in tasks) and of a user project's (test/fixtures/project/cdk-app.ts,
 * its own tasks module) on LocalStack's CloudFormation, assets and all. Then the CLI against them
 * (status, pause, resume, dispatch, collect, redrive), the deployed bundle running their jobs, the
 * IAM policies checked against every request made, and `cdk destroy`.
 *
 * Who runs the worker: where LocalStack cannot run functions (host mode, its Lambda executor is
 * fanout's "fanout-noexec"), the function's deployed zip runs here behind fanout's event-source
 * poller (test/helpers/deployed-worker.ts); where it can (Docker), LocalStack invokes it (that
 * path is not exercised by this project's CI, which has no Docker). Deployed once for the file.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { GetEventSourceMappingCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteQueueCommand, GetQueueUrlCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessKey } from '../../cli/endpoint/credentials.js';
import { EXIT } from '../../cli/output/exit-codes.js';
import { STACK_OUTPUTS } from '../../functions/wire/stack-outputs.js';
import { QUEUES } from '../../functions/wire/constants.js';
import { pluginInfo } from '../../scripts/localstack/health.js';
import { NOEXEC_EXECUTOR } from '../../scripts/localstack/host.js';
import { backendNames, useBackend } from '../helpers/backends.js';
import { bootstrap, deploy, destroy, type Deployed } from '../helpers/cdk-deploy.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { loadDeployedFunction, startDeployedWorker, type DeployedWorker } from '../helpers/deployed-worker.js';
import { checkPolicies, withoutGrant, type RecordedRequest } from '../helpers/policy-check.js';
import { scratchDir } from '../helpers/scratch.js';
import { synthesizedPolicies } from '../helpers/synthesized-policies.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const onLocalstack = backendNames().includes('localstack');
const say = (line: string) => process.stderr.write(`[deployed-stack] ${line}\n`);

/** One deployed stack and the keys its master and its worker sign with (each recorded apart). */
type Deployment = { deployed: Deployed; master: AccessKey; worker: AccessKey; home: string };

describe.runIf(onLocalstack)('the real stack, deployed on localstack', () => {
  const backend = useBackend('localstack');
  const id = randomBytes(3).toString('hex');
  let endpoint: string;
  let builtin: Deployment;
  let user: Deployment;
  /** Whether LocalStack runs the functions itself (Docker) or fanout's poller runs the deployed zip here. */
  let localstackRuns = false;
  let admin: { sqs: SQSClient; lambda: LambdaClient; cloudformation: CloudFormationClient };
  let destroyed = false;

  const key = (role: string): AccessKey => ({ accessKeyId: `fanoutrec-${role}-${id}`, secretAccessKey: 'test' });
  const cli = (d: Deployment, args: string[], cwd = root): Promise<CliResult> =>
    runCli([...args, '--target', endpoint, '--stack', d.deployed.stack], {
      FANOUT_HOME: d.home,
      FANOUT_TARGET: '',
      AWS_ACCESS_KEY_ID: d.master.accessKeyId,
      AWS_SECRET_ACCESS_KEY: d.master.secretAccessKey,
      AWS_REGION: 'us-east-1',
      // Not the deployed worker's environment, which this process holds while it runs.
      FANOUT_DISPATCHED_QUEUE_URL: '',
      FANOUT_FINISHED_QUEUE_URL: '',
    }, cwd);
  const out = (d: Deployment, name: keyof typeof STACK_OUTPUTS) => d.deployed.outputs[STACK_OUTPUTS[name]]!;

  beforeAll(async () => {
    endpoint = backend.endpoint;
    const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    admin = { sqs: new SQSClient(config), lambda: new LambdaClient(config), cloudformation: new CloudFormationClient(config) };
    localstackRuns = (await pluginInfo(endpoint))?.executor !== NOEXEC_EXECUTOR;
    const boot = await bootstrap(endpoint);
    const [a, b] = await Promise.all([
      deploy({ endpoint, stack: `FanoutLs${id}`, cwd: root, context: { stackName: `FanoutLs${id}` } }),
      deploy({ endpoint, stack: `FanoutUser${id}`, cwd: join(root, 'test/fixtures/project'), app: 'npx tsx cdk-app.ts', context: { stackName: `FanoutUser${id}` } }),
    ]);
    builtin = { deployed: a, master: key('master-builtin'), worker: key('worker-builtin'), home: await scratchDir('deployed-builtin-') };
    user = { deployed: b, master: key('master-user'), worker: key('worker-user'), home: await scratchDir('deployed-user-') };
    say(`bootstrap ${(boot.ms / 1000).toFixed(1)} s; deploy ${a.stack} ${(a.ms / 1000).toFixed(1)} s and ${b.stack} ${(b.ms / 1000).toFixed(1)} s (side by side); functions run by ${localstackRuns ? 'LocalStack' : 'the deployed zip here'}`);
  }, 600_000);

  afterAll(async () => {
    if (!admin) return;
    if (!destroyed) for (const d of [builtin, user]) if (d) await destroy(endpoint, d.deployed).catch((error: unknown) => say(`cleanup: ${String(error)}`));
    // What outlives the stacks: the retained dead-letter queues, and run queues left by the paused run.
    for (const d of [builtin, user]) {
      if (!d) continue;
      const { QueueUrls = [] } = await admin.sqs.send(new ListQueuesCommand({ QueueNamePrefix: `${d.deployed.stack}-` }));
      for (const url of QueueUrls) await admin.sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    }
    for (const client of Object.values(admin)) client.destroy();
  }, 300_000);

  /** Runs `work` with the stack's worker: the deployed zip here, unless LocalStack runs functions itself. */
  async function withWorker<T>(d: Deployment, work: () => Promise<T>): Promise<T> {
    let worker: DeployedWorker | undefined;
    if (!localstackRuns) {
      worker = await startDeployedWorker({
        endpoint,
        lambda: admin.lambda,
        functionName: out(d, 'workerFunctionName'),
        eventSourceMappingId: out(d, 'eventSourceMappingId'),
        dispatchedQueueUrl: out(d, 'dispatchedQueueUrl'),
        credentials: d.worker,
      });
    }
    try {
      return await work();
    } finally {
      await worker?.stop();
    }
  }

  it('CloudFormation created every resource of both synthesized templates; the function holds the assembly\'s bundle', async () => {
    for (const d of [builtin, user]) {
      // Act
      const template = JSON.parse(await readFile(join(d.deployed.assembly, `${d.deployed.stack}.template.json`), 'utf8')) as { Resources: Record<string, unknown> };
      const { StackResources = [] } = await admin.cloudformation.send(new DescribeStackResourcesCommand({ StackName: d.deployed.stack }));
      const fn = await admin.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: out(d, 'workerFunctionName') }));
      const mapping = await admin.lambda.send(new GetEventSourceMappingCommand({ UUID: out(d, 'eventSourceMappingId') }));
      const deployedCode = await loadDeployedFunction(admin.lambda, out(d, 'workerFunctionName'));
      // Assess: every resource, the function as synthesized, the mapping as synthesized
      expect(StackResources.map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`).sort()).toEqual(Object.keys(template.Resources).map((r) => `${r} CREATE_COMPLETE`).sort());
      expect(fn).toMatchObject({ State: 'Active', Runtime: 'nodejs24.x', Handler: 'index.handler', Architectures: ['arm64'], MemorySize: 1769, Timeout: 60 });
      expect(mapping).toMatchObject({ State: 'Enabled', BatchSize: 10, ScalingConfig: { MaximumConcurrency: 50 }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
      const assets = Object.keys(JSON.parse(await readFile(join(d.deployed.assembly, `${d.deployed.stack}.assets.json`), 'utf8')).files as object);
      const bundles = await Promise.all(assets.map((hash) => readFile(join(d.deployed.assembly, `asset.${hash}`, 'index.mjs')).catch(() => undefined)));
      const deployedIndex = await readFile(deployedCode.path);
      expect(bundles.filter((code) => code?.equals(deployedIndex)).length, `${d.deployed.stack}: the deployed index.mjs is the assembly's`).toBe(1);
    }
  });

  it('status finds the queues and the mapping through DescribeStacks', async () => {
    // Act
    const { code, stdout, stderr } = await cli(builtin, ['status', '--json']);
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    const status = JSON.parse(stdout);
    expect(status.target).toContain(`stack ${builtin.deployed.stack} in ${endpoint}`);
    expect(status.queues.dispatched.url).toBe(out(builtin, 'dispatchedQueueUrl'));
    expect(status.eventSourceMapping).toMatchObject({ state: 'Enabled', batchSize: 10, maximumConcurrency: 50, reportsBatchItemFailures: true });
    expect(status.runQueues).toEqual([]);
  });

  it('runs 1,000 jobs through the deployed bundle: each result stored once, nothing left behind', async () => {
    const { dispatched, collected } = await withWorker(builtin, async () => {
      // Act
      const dispatched = await cli(builtin, ['dispatch', '--count', '1000']);
      const collected = await cli(builtin, ['collect', '--timeout', '180', '--json']);
      return { dispatched, collected };
    });
    // Assess
    expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
    expect(collected.code, collected.stderr).toBe(EXIT.ok);
    const lines = collected.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; id: number; ok: boolean; output: number; counts: Record<string, number> });
    const results = lines.filter((l) => l.event === 'result');
    expect(results).toHaveLength(1000);
    expect(new Set(results.map((r) => r.id)).size).toBe(1000);
    expect(results.every((r) => r.ok && r.output === r.id * r.id)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ event: 'summary', complete: true, ok: true, counts: { done: 1000, ok: 1000, failed: 0, duplicates: 0, conflicts: 0 } });
    const status = JSON.parse((await cli(builtin, ['status', '--json'])).stdout);
    expect(status.queues.dispatched).toMatchObject({ visible: 0, inFlight: 0 });
    expect(status.queues.deadLetter).toMatchObject({ visible: 0 });
    expect(status.runQueues).toEqual([]);
  }, 300_000);

  it("runs the user project's tasks through its deployed bundle", async () => {
    const collected = await withWorker(user, async () => {
      // Act
      const dispatched = await cli(user, ['dispatch', '--task', 'cube', '--tasks', 'test/fixtures/project/tasks.ts', '--count', '50']);
      expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
      return cli(user, ['collect', '--timeout', '120', '--json']);
    });
    // Assess
    expect(collected.code, collected.stderr).toBe(EXIT.ok);
    const results = collected.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; id: number; output: number }).filter((l) => l.event === 'result');
    expect(results.map((r) => [r.id, r.output]).sort((x, y) => x[0]! - y[0]!)).toEqual(Array.from({ length: 50 }, (_, i) => [i, i ** 3]));
  }, 300_000);

  it('pauses and resumes the event source mapping', async () => {
    // Act
    const paused = await cli(builtin, ['pause', '--json']);
    const resumed = await cli(builtin, ['resume', '--json']);
    // Assess
    expect(paused.code, paused.stderr).toBe(EXIT.ok);
    expect(JSON.parse(paused.stdout).eventSourceMapping.state).toMatch(/^Disabl(ing|ed)$/);
    expect(resumed.code, resumed.stderr).toBe(EXIT.ok);
    expect(JSON.parse(resumed.stdout).eventSourceMapping.state).toMatch(/^Enabl(ing|ed)$/);
  });

  it('warns at collect that the mapping is paused, lists the missing jobs, and status shows their run queue', async () => {
    // Prepare
    await cli(builtin, ['pause']);
    const dispatched = await cli(builtin, ['dispatch', '--count', '2']);
    expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
    // Act
    const collected = await cli(builtin, ['collect', '--timeout', '1']);
    const status = await cli(builtin, ['status']);
    const redrive = await cli(builtin, ['redrive', '--all']);
    // Assess
    expect(collected.code).toBe(EXIT.incomplete);
    expect(collected.stderr).toMatch(/warning: the worker's event source mapping is Disabl(ing|ed): no job will run until `fanout resume`/);
    expect(collected.stderr).toContain('missing job ids: 0-1');
    expect(status.stdout).toMatch(new RegExp(`^run queues  1, .*\\n  ${dispatched.stdout.trim()}  .* old  0 waiting  0 in flight$`, 'm'));
    expect(redrive.code, redrive.stderr).toBe(EXIT.ok);
    await cli(builtin, ['resume']);
  });

  it('fails if the stack does not exist, in one line', async () => {
    const { code, stderr } = await runCli(['status', '--target', endpoint, '--stack', 'NoSuchStack'], { FANOUT_HOME: builtin.home });
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe(`fanout: stack NoSuchStack not found in ${endpoint}: deploy it with \`npx cdk deploy\`, or name another with --stack\n`);
  });

  describe('the IAM policies', () => {
    const recorded = async (k: AccessKey): Promise<RecordedRequest[]> =>
      ((await (await fetch(`${endpoint}/_fanout/requests/${k.accessKeyId}`)).json()) as { requests: RecordedRequest[] }).requests;

    it('grant every request the CLI and the worker made (checked against the synthesized MasterPolicy and worker role)', async (context) => {
      if (localstackRuns) context.skip('LocalStack runs the worker itself here: its requests are not signed with a recorded key');
      for (const d of [builtin, user]) {
        // Prepare
        const policies = await synthesizedPolicies(admin.cloudformation, d.deployed.assembly, d.deployed.stack);
        const arns = { stackArn: () => policies.stackArn };
        // Act
        const master = checkPolicies(await recorded(d.master), [policies.master], arns);
        const worker = checkPolicies(await recorded(d.worker), policies.worker, arns);
        // Assess
        say(`${d.deployed.stack} master needed: ${master.checked.map((p) => `${p.action} ${p.resource.replace(/^arn:aws:[a-z]+:us-east-1:\d+:/, '')}`).join(', ')}`);
        say(`${d.deployed.stack} worker needed: ${worker.checked.map((p) => `${p.action} ${p.resource.replace(/^arn:aws:[a-z]+:us-east-1:\d+:/, '')}`).join(', ')}`);
        expect(master.missing).toEqual([]);
        expect(worker.missing).toEqual([]);
      }
      // Not vacuous: what the builtin stack's run exercised.
      const actions = async (k: AccessKey) => new Set(checkPolicies(await recorded(k), [], { stackArn: () => 'stack' }).checked.map((p) => p.action));
      expect([...(await actions(builtin.master))].sort()).toEqual(expect.arrayContaining([
        'cloudformation:DescribeStacks', 'lambda:GetEventSourceMapping', 'lambda:UpdateEventSourceMapping', 'sqs:CreateQueue', 'sqs:DeleteMessage', 'sqs:DeleteQueue',
        'sqs:GetQueueAttributes', 'sqs:ListQueues', 'sqs:ReceiveMessage', 'sqs:SendMessage', 'sqs:TagQueue',
      ]));
      expect([...(await actions(builtin.worker))].sort()).toEqual(expect.arrayContaining(['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:SendMessage']));
    });

    it('fails when a grant is removed, naming the action and the resource', async (context) => {
      if (localstackRuns) context.skip('LocalStack runs the worker itself here: its requests are not signed with a recorded key');
      // Prepare
      const policies = await synthesizedPolicies(admin.cloudformation, builtin.deployed.assembly, builtin.deployed.stack);
      const arns = { stackArn: () => policies.stackArn };
      const runQueues = `arn:aws:sqs:us-east-1:000000000000:${builtin.deployed.stack}-${QUEUES.finished.name}-`;
      // Act
      const noDelete = checkPolicies(await recorded(builtin.master), [withoutGrant(policies.master, 'RunQueues', 'sqs:DeleteQueue')], arns);
      const noTag = checkPolicies(await recorded(builtin.master), [withoutGrant(policies.master, 'RunQueues', 'sqs:TagQueue')], arns);
      const noRunResults = checkPolicies(await recorded(builtin.worker), policies.worker.map((p) => (p.Statement.some((s) => s.Sid === 'RunResults') ? withoutGrant(p, 'RunResults', 'sqs:SendMessage') : p)), arns);
      // Assess
      expect(noDelete.missing.map((p) => p.action)).toEqual(['sqs:DeleteQueue']);
      expect(noDelete.missing[0]!.resource.startsWith(runQueues)).toBe(true);
      // One for each run queue dispatch created (the 1,000-job run's, the paused run's).
      expect(new Set(noTag.missing.map((p) => `${p.action} (${p.operation})`))).toEqual(new Set(['sqs:TagQueue (CreateQueue)']));
      expect(noTag.missing.every((p) => p.resource.startsWith(runQueues))).toBe(true);
      expect(noRunResults.missing.map((p) => `${p.action} (${p.operation})`)).toEqual(['sqs:SendMessage (SendMessageBatch)']);
      expect(noRunResults.missing[0]!.resource.startsWith(runQueues)).toBe(true);
    });
  });

  it('cdk destroy deletes both stacks and keeps their dead-letter queues', async () => {
    // Act
    const runs = await Promise.all([builtin, user].map((d) => destroy(endpoint, d.deployed)));
    destroyed = true;
    say(`destroy ${runs.map((r) => `${(r.ms / 1000).toFixed(1)} s`).join(' and ')} (side by side)`);
    // Assess
    for (const d of [builtin, user]) {
      const queue = (name: string) => admin.sqs.send(new GetQueueUrlCommand({ QueueName: `${d.deployed.stack}-${name}` }));
      await expect(queue(QUEUES.deadLetter.name)).resolves.toMatchObject({ QueueUrl: out(d, 'deadLetterQueueUrl') });
      await expect(queue(QUEUES.dispatched.name)).rejects.toThrow(/does not exist|NonExistentQueue/);
      await expect(queue(QUEUES.finished.name)).rejects.toThrow(/does not exist|NonExistentQueue/);
    }
  }, 300_000);
});
