/**
 * Ctrl-C as a terminal sends it: SIGINT to the whole foreground process group — the CLI and
 * every child it started, at once. One drains (running batches finish, nothing is left
 * invisible); a second stops at once; no child outlives the CLI.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { RunStore } from '../../cli/store/run-store.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { startWorkers } from '../../cli/workers/start-workers.js';
import { EXIT } from '../../cli/output/exit-codes.js';
import { startEmbeddedBackend, type Backend } from '../helpers/backends.js';
import type { Target } from '../../cli/endpoint/target.js';
import { childPids, isAlive, queueEnv, spawnCli } from '../helpers/cli.js';
import { eventually, queueDepth } from '../helpers/queue-peek.js';
import { scratchDir } from '../helpers/scratch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('fanout work and the terminal\'s Ctrl-C', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(inputs: number[]) {
    const backend: Backend = await startEmbeddedBackend();
    cleanups.push(() => backend.stop());
    const home = await mkdtemp(join(await scratchDir('signals-'), 'home-'));
    const target = await backend.target();
    const store = RunStore.open({ path: join(home, 'fanout.db') });
    cleanups.push(async () => store.close());
    const { run } = await dispatch({ target, task: 'sleep', inputs, jobsPerMessage: 1, store });
    // One process, two pollers, one record per batch: two batches run, the others wait.
    const work = startWork(['--concurrency', '2', '--batch-size', '1'], backend, target, home);
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 2, 30_000);
    return { backend, target, home, store, run, ...work };
  }

  /** `fanout work` with one worker process, leading its own process group as a terminal's foreground job; killed (the group) at cleanup if still running. */
  function startWork(args: string[], backend: Backend, target: Target, home: string) {
    const cli = spawnCli(['work', '--target', backend.endpoint, '--processes', '1', ...args, '--wait-time', '1'], { FANOUT_HOME: home, ...queueEnv(target), ...backend.cliEnv }, { detached: true });
    let stderr = '';
    cli.stderr!.on('data', (d: Buffer) => (stderr += d));
    const exited = once(cli, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    cleanups.push(async () => {
      if (cli.exitCode === null && cli.signalCode === null) process.kill(-cli.pid!, 'SIGKILL');
      await exited;
    });
    return { cli, exited, stderr: () => stderr };
  }

  it('drains on one Ctrl-C to the process group: running batches finish and nothing is left invisible', async () => {
    // Prepare
    const { target, store, run, cli, exited, stderr } = await setUp([1500, 1500, 1500, 1500]);
    const workers = childPids(cli.pid!, 'worker-process');
    expect(workers).toHaveLength(1);
    // Act
    process.kill(-cli.pid!, 'SIGINT');
    const [code] = await exited;
    // Assess: clean exit; the two running jobs finished, the two waiting ones are visible, none held.
    expect(code, stderr()).toBe(0);
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 2, inFlight: 0 });
    expect(await queueDepth(target.sqs, store.requireRun(run).queues.results!)).toMatchObject({ visible: 2 });
    expect(workers.filter(isAlive)).toEqual([]);
    // …and the run completes with other workers: every result collected.
    const poller = await startWorkers({ target, logLevel: 'SILENT', waitTimeSeconds: 1 });
    cleanups.push(() => poller.stop({ abort: true }));
    const report = await collect({ target, store, run, timeoutMs: 30_000 });
    expect(report).toMatchObject({ counts: { done: 4, ok: 4 }, complete: true });
  });

  it('stops at once on a second Ctrl-C, leaving no worker process behind', async () => {
    // Prepare: jobs far longer than the test waits.
    const { target, store, run, cli, exited, stderr } = await setUp([45_000, 45_000, 45_000]);
    const workers = childPids(cli.pid!, 'worker-process');
    expect(workers).toHaveLength(1);
    // Act
    process.kill(-cli.pid!, 'SIGINT');
    await eventually(() => /draining/.test(stderr()), 10_000, 20);
    process.kill(-cli.pid!, 'SIGINT');
    const [code] = await exited;
    // Assess: interrupted before any job could finish, and the worker process is gone too.
    expect(code, stderr()).toBe(EXIT.interrupted);
    expect(await queueDepth(target.sqs, store.requireRun(run).queues.results!)).toEqual({ visible: 0, inFlight: 0 });
    await eventually(() => workers.filter(isAlive).length === 0, 5_000);
  });

  it('drains once started when Ctrl-C comes while it starts, leaving no worker process behind', async () => {
    // Prepare: a target with queues, and `fanout work` just starting.
    const backend: Backend = await startEmbeddedBackend();
    cleanups.push(() => backend.stop());
    const home = await scratchDir('signals-start-');
    const target = await backend.target();
    const { cli, exited, stderr } = startWork([], backend, target, home);
    // Act: Ctrl-C as soon as its worker process exists, before it is ready.
    await eventually(() => childPids(cli.pid!, 'worker-process').length === 1, 30_000, 10);
    const workers = childPids(cli.pid!, 'worker-process');
    process.kill(-cli.pid!, 'SIGINT');
    const [code, signal] = await exited;
    // Assess: it stopped on its own terms (not killed by the signal), and so did its worker.
    expect({ code, signal }, stderr()).toEqual({ code: 0, signal: null });
    await eventually(() => workers.filter(isAlive).length === 0, 20_000);
  });

  it('leaves no worker process behind when the CLI itself is killed with kill -9', async () => {
    // Prepare: jobs that end soon, so a drained child exits once they have.
    const { cli, exited } = await setUp([1000, 1000, 1000]);
    const workers = childPids(cli.pid!, 'worker-process');
    expect(workers).toHaveLength(1);
    // Act: the CLI alone, as `kill -9 <pid>` does; its children live in their own process group.
    cli.kill('SIGKILL');
    await exited;
    // Assess: the child saw its parent go (the IPC channel closed), drained and exited.
    await eventually(() => workers.filter(isAlive).length === 0, 20_000);
  });

  it.skipIf(!hasTmux())('drains on Ctrl-C typed in a real terminal (tmux), then stops', async () => {
    // Prepare: the same run, but `fanout work` in a tmux pane: a pseudo-terminal whose line
    // discipline turns Ctrl-C into SIGINT for the foreground process group.
    const backend: Backend = await startEmbeddedBackend();
    cleanups.push(() => backend.stop());
    const home = await scratchDir('signals-tty-');
    const target = await backend.target();
    const store = RunStore.open({ path: join(home, 'fanout.db') });
    cleanups.push(async () => store.close());
    const { run } = await dispatch({ target, task: 'sleep', inputs: [1500, 1500, 1500, 1500], jobsPerMessage: 1, store });
    const socket = `fanout-test-${process.pid}`;
    const exitFile = join(home, 'exit-code');
    const env = { FANOUT_HOME: home, ...queueEnv(target), ...backend.cliEnv, FORCE_COLOR: '0' };
    const exports = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    const command = `cd ${JSON.stringify(root)} && env ${exports} ${JSON.stringify(process.execPath)} --import tsx cli/bin.ts work --target ${backend.endpoint} --processes 1 --concurrency 2 --batch-size 1 --wait-time 1; echo $? > ${JSON.stringify(exitFile)}`;
    spawnSync('tmux', ['-L', socket, 'new-session', '-d', '-s', 'work', '-x', '160', '-y', '40', command]);
    cleanups.push(async () => void spawnSync('tmux', ['-L', socket, 'kill-server']));
    await eventually(async () => (await queueDepth(target.sqs, target.queues.dispatched.url)).inFlight === 2, 30_000);
    // Act: the key, as typed.
    spawnSync('tmux', ['-L', socket, 'send-keys', '-t', 'work', 'C-c']);
    await eventually(() => readFile(exitFile, 'utf8').then(() => true, () => false), 30_000, 100);
    // Assess
    expect((await readFile(exitFile, 'utf8')).trim()).toBe('0');
    expect(await queueDepth(target.sqs, target.queues.dispatched.url)).toEqual({ visible: 2, inFlight: 0 });
    expect(await queueDepth(target.sqs, store.requireRun(run).queues.results!)).toMatchObject({ visible: 2 });
  });
});

function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}
