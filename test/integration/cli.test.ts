/**
 * The `fanout` command line as users run it: real processes, the embedded server over HTTP.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/output/exit-codes.js';
import { startEmbeddedServer } from '../../cli/local/embedded-server.js';
import { STACK_OUTPUTS } from '../../functions/wire/stack-outputs.js';
import { credentialsEnv, startEmbeddedBackend } from '../helpers/backends.js';
import { queueEnv, runCli, spawnCli } from '../helpers/cli.js';
import { eventually } from '../helpers/queue-peek.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'fanout-cli-'));
});
const env = () => ({ FANOUT_HOME: home, FANOUT_TARGET: '' });

describe('fanout run --local', () => {
  it('dispatches ten square jobs and prints each result', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['run', '--local'], env());
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    const lines = stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('Dispatch job'))).toEqual(Array.from({ length: 10 }, (_, i) => `Dispatch job ${i}`));
    const finished = lines.filter((l) => l.startsWith('Finished job')).sort((a, b) => Number(a.split(' ')[2]!.slice(0, -1)) - Number(b.split(' ')[2]!.slice(0, -1)));
    expect(finished).toEqual(Array.from({ length: 10 }, (_, i) => `Finished job ${i}: ${i * i}`));
    expect(stderr).toMatch(/10\/10 results \(10 ok, 0 failed\)/);
  });

  it('exits 1 and reports each failure with its reason when jobs fail', async () => {
    // Prepare
    const inputs = join(home, 'in.jsonl');
    await writeFile(inputs, '"first"\n{"fail":false,"value":1}\n');
    // Act
    const { code, stdout, stderr } = await runCli(['run', '--local', '--task', 'fail', '--inputs', inputs], env());
    // Assess
    expect(code).toBe(EXIT.jobsFailed);
    expect(stdout).toContain('Failed job 0: Error: first');
    // One line per failure: the summary does not repeat what was printed as it came.
    expect(`${stdout}${stderr}`.match(/Error: first/g)).toHaveLength(1);
  });

  it('writes JSON lines with --json', async () => {
    const { code, stdout } = await runCli(['run', '--local', '--count', '3', '--json'], env());
    expect(code).toBe(EXIT.ok);
    const events = stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(events.map((e) => e.event).sort()).toEqual(['dispatched', 'result', 'result', 'result', 'summary']);
    expect(events.at(-1)).toMatchObject({ event: 'summary', counts: { done: 3 }, complete: true, ok: true });
  });
});

describe('fanout local, then dispatch and collect from another terminal', () => {
  it('gives the ten results', async () => {
    // Prepare
    const local = spawnCli(['local', '--port', '0'], env());
    try {
      await eventually(() => readFile(join(home, 'local.json'), 'utf8').then(() => true, () => false), 20_000);
      // Act
      const dispatched = await runCli(['dispatch'], env());
      const collected = await runCli(['collect', '--json'], env());
      // Assess
      expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
      expect(dispatched.stdout.trim()).toMatch(/^r-[a-z0-9]+-[0-9a-f]{6}$/);
      expect(collected.code, collected.stderr).toBe(EXIT.ok);
      const results = collected.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'result');
      expect(results.map((r) => [r.id, r.output]).sort((a, b) => a[0] - b[0])).toEqual(Array.from({ length: 10 }, (_, i) => [i, i * i]));
      const exported = await runCli(['results', dispatched.stdout.trim()], env());
      expect(exported.stdout.trim().split('\n').map((l) => JSON.parse(l).job)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    } finally {
      local.kill('SIGINT');
      await once(local, 'close');
    }
  });

  it('exits 3 at the timeout and lists the missing job ids when no worker runs', async () => {
    const local = spawnCli(['local', '--port', '0', '--workers', '0'], env());
    try {
      await eventually(() => readFile(join(home, 'local.json'), 'utf8').then(() => true, () => false), 20_000);
      await runCli(['dispatch', '--count', '3'], env());
      const { code, stderr } = await runCli(['collect', '--timeout', '1'], env());
      expect(code).toBe(EXIT.incomplete);
      expect(stderr).toContain('missing job ids: 0-2');
    } finally {
      local.kill('SIGINT');
      await once(local, 'close');
    }
  });
});

describe('bad input gets a one-line error and exit 2', () => {
  it.each([
    ['a count that is not a number', ['dispatch', '--count', 'ten'], /--count must be a whole number from 1 to 10000000 \(given "ten"\)/],
    ['an unknown task', ['run', '--local', '--task', 'cube'], /unknown task "cube" \(known: burn, fail, sleep, square\)/],
    ['an unknown command', ['disptach'], /^fanout: unknown command 'disptach' \(Did you mean dispatch\?\)$/m],
    ['a target that is not a URL', ['dispatch', '--target', 'nowhere'], /--target must be local, aws or an http\(s\) URL \(given "nowhere"\)/],
    ['no local runtime', ['dispatch'], /no local fanout is running here: start `npx fanout local`/],
    ['no run to collect', ['collect'], /no run dispatched from this directory yet/],
    ['both --count and --inputs', ['run', '--local', '--count', '2', '--inputs', 'x.jsonl'], /cannot be used with/],
  ])('fails if given %s', async (_, args, message) => {
    const { code, stderr } = await runCli(args, env());
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^fanout: [^\n]+\n$/);
  });

  it('fails with exit 5 (a service, not a flag) if the endpoint is unreachable', async () => {
    const { code, stderr } = await runCli(['dispatch', '--target', 'http://127.0.0.1:9'], env());
    expect(code).toBe(EXIT.service);
    expect(stderr).toMatch(/^fanout: cannot reach SQS at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\): is it running\?\n$/);
  });

  it.each([
    [200, EXIT.usage, /^fanout: http:\/\/127\.0\.0\.1:\d+ is not an SQS endpoint: it answered GetQueueUrl with HTTP 200 \(text\/html\), not SQS's JSON: Unexpected token '<'/],
    [502, EXIT.service, /^fanout: http:\/\/127\.0\.0\.1:\d+ failed: it answered GetQueueUrl with HTTP 502 \(text\/html\), not SQS's JSON/],
  ])('fails in one line if the URL answers with a web page (HTTP %i): exit %i', async (status, exitCode, message) => {
    // Prepare: a plain web server.
    const server = createServer((_, res) => res.writeHead(status, { 'content-type': 'text/html' }).end('<!DOCTYPE html>\n<html><body>\n<h1>It works!</h1>\n</body></html>\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // Act
      const { code, stderr } = await runCli(['status', '--target', `http://127.0.0.1:${(server.address() as AddressInfo).port}`], env());
      // Assess
      expect(code, stderr).toBe(exitCode);
      expect(stderr).toMatch(message);
      expect(stderr).toMatch(/^fanout: [^\n]+\n$/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('signs requests to a URL target with the AWS SDK\'s credentials: a server that checks signatures accepts them, and refuses others in one line', async () => {
    // Prepare: the embedded server (it checks signatures) and its key in the environment, as for any SQS endpoint.
    const backend = await startEmbeddedBackend();
    try {
      const target = await backend.target();
      const args = ['--target', backend.endpoint];
      // Act
      const dispatched = await runCli(['dispatch', '--count', '3', ...args], { ...env(), ...queueEnv(target), ...backend.cliEnv });
      const status = await runCli(['status', '--json', ...args], { ...env(), ...queueEnv(target), ...backend.cliEnv });
      const wrongKey = await runCli(['status', ...args], { ...env(), ...queueEnv(target), AWS_ACCESS_KEY_ID: 'AKIASOMEONEELSE00000', AWS_SECRET_ACCESS_KEY: 'x' });
      // Assess
      expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
      expect(JSON.parse(status.stdout)).toMatchObject({ queues: { dispatched: { visible: 3 } } });
      expect(wrongKey.code).toBe(EXIT.usage);
      expect(wrongKey.stderr).toMatch(/^fanout: SQS at http:\/\/127\.0\.0\.1:\d+ denied access: InvalidClientTokenId: the access key AKIASOMEONEELSE00000 is not this server's[^\n]*\n$/);
    } finally {
      await backend.stop();
    }
  });

  it('fails if a line of the inputs file is not JSON, naming the line, and sends nothing', async () => {
    const inputs = join(home, 'in.jsonl');
    await writeFile(inputs, '1\n2\n{three\n');
    const { code, stderr, stdout } = await runCli(['run', '--local', '--inputs', inputs], env());
    expect(code).toBe(EXIT.usage);
    expect(stderr.trim()).toMatch(/in\.jsonl:3: not JSON/);
    expect(stdout).toBe('');
  });

  it('fails if the queues are missing at the endpoint', async () => {
    // Prepare: an SQS server with no queues.
    const server = await startEmbeddedServer();
    try {
      // Act
      const { code, stderr } = await runCli(['dispatch', '--target', server.endpoint], { ...env(), ...credentialsEnv(server.credentials) });
      // Assess
      expect(code).toBe(EXIT.usage);
      expect(stderr.trim()).toMatch(/^fanout: queue fanout-(dispatched|dead-letter|finished) does not exist at http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.close();
    }
  });
});

describe('fanout --help', () => {
  it('lists the commands', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(EXIT.ok);
    for (const command of ['dispatch', 'collect', 'run', 'local']) expect(stdout).toContain(command);
  });
});

describe('targeting a deployed stack through its outputs', () => {
  it('dispatches to and collects from the queues named in a cdk-outputs.json', async () => {
    // Prepare: real queues on an SQS endpoint, described by an outputs file as `cdk deploy` writes it.
    const backend = await startEmbeddedBackend();
    try {
      const target = await backend.target();
      const outputsFile = join(home, 'cdk-outputs.json');
      await writeFile(outputsFile, JSON.stringify({
        Fanout: {
          [STACK_OUTPUTS.dispatchedQueueUrl]: target.queues.dispatched.url,
          [STACK_OUTPUTS.finishedQueueUrl]: target.queues.finished.url,
          [STACK_OUTPUTS.deadLetterQueueUrl]: target.queues.deadLetter.url,
        },
      }));
      const args = ['--target', backend.endpoint, '--stack', 'Fanout', '--outputs-file', outputsFile];
      // Act
      const dispatched = await runCli(['dispatch', '--count', '3', ...args], { ...env(), ...backend.cliEnv });
      const status = await runCli(['status', '--json', ...args], { ...env(), ...backend.cliEnv });
      // Assess
      expect(dispatched.code, dispatched.stderr).toBe(EXIT.ok);
      const depths = JSON.parse(status.stdout) as { queues: { dispatched: { visible: number; url: string } } };
      expect(depths.queues.dispatched).toMatchObject({ visible: 3, url: target.queues.dispatched.url });
      // Collect reads the stack from the run's manifest; no worker runs, so it times out listing all three.
      const collected = await runCli(['collect', '--timeout', '1', '--target', backend.endpoint, '--outputs-file', outputsFile], { ...env(), ...backend.cliEnv });
      expect(collected.code).toBe(EXIT.incomplete);
      expect(collected.stderr).toContain('missing job ids: 0-2');
    } finally {
      await backend.stop();
    }
  });

  it('fails if the stack is not in the outputs file, or a queue it names is gone', async () => {
    const backend = await startEmbeddedBackend();
    try {
      const target = await backend.target();
      const outputsFile = join(home, 'cdk-outputs.json');
      await writeFile(outputsFile, JSON.stringify({ Fanout: {
        [STACK_OUTPUTS.dispatchedQueueUrl]: `${backend.endpoint}/000000000000/gone`,
        [STACK_OUTPUTS.finishedQueueUrl]: target.queues.finished.url,
        [STACK_OUTPUTS.deadLetterQueueUrl]: target.queues.deadLetter.url,
      } }));
      const wrongStack = await runCli(['dispatch', '--target', backend.endpoint, '--stack', 'Other', '--outputs-file', outputsFile], { ...env(), ...backend.cliEnv });
      expect(wrongStack.stderr.trim()).toBe(`fanout: ${outputsFile} has no outputs for stack "Other" (pass --stack NAME)`);
      const gone = await runCli(['dispatch', '--target', backend.endpoint, '--stack', 'Fanout', '--outputs-file', outputsFile], { ...env(), ...backend.cliEnv });
      expect(gone.code).toBe(EXIT.usage);
      expect(gone.stderr.trim()).toMatch(/^fanout: queue http:\/\/127\.0\.0\.1:\d+\/000000000000\/gone does not exist at http:\/\/127\.0\.0\.1:\d+, .*cdk-outputs\.json \(stack Fanout\)$/);
    } finally {
      await backend.stop();
    }
  });

  it('refuses to pause a target with no deployed worker, in one line', async () => {
    const backend = await startEmbeddedBackend();
    try {
      const target = await backend.target();
      const { code, stderr } = await runCli(['pause', '--target', backend.endpoint], { ...env(), ...queueEnv(target), ...backend.cliEnv });
      expect(code).toBe(EXIT.usage);
      expect(stderr.trim()).toMatch(/^fanout: http:\/\/127\.0\.0\.1:\d+ has no deployed worker to pause, resume or inspect/);
    } finally {
      await backend.stop();
    }
  });
});

describe('fanout local on a busy port', () => {
  it('fails in one line naming the port', async () => {
    const server = await startEmbeddedServer();
    try {
      const port = new URL(server.endpoint).port;
      const { code, stderr } = await runCli(['local', '--port', port], env());
      expect(code).toBe(EXIT.usage);
      expect(stderr).toBe(`fanout: port ${port} on 127.0.0.1 is already in use: pass --port N (0 for any free port)\n`);
    } finally {
      await server.close();
    }
  });
});
