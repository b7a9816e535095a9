/**
 * A project's own tasks through the real CLI: found through fanout.config.ts in the working
 * directory or named by --tasks, their schemas checked at dispatch (one line, exit 2, nothing
 * sent) and on the worker, and loaded by worker processes too.
 */
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect } from '../../cli/master/collect/collect.js';
import { dispatch } from '../../cli/master/dispatch/dispatch.js';
import { RunStore } from '../../cli/store/run-store.js';
import { EXIT } from '../../cli/output/exit-codes.js';
import { startEmbeddedBackend, type Backend } from '../helpers/backends.js';
import { queueEnv, runCli, spawnCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';
import { openTestStore } from '../helpers/store.js';

const project = fileURLToPath(new URL('../fixtures/project/', import.meta.url));
const tasksModule = join(project, 'tasks.ts');

let home: string;
beforeEach(async () => {
  home = await scratchDir('user-tasks-');
});
const env = () => ({ FANOUT_HOME: home, FANOUT_TARGET: '' });

function runs(): number {
  const store = RunStore.open({ path: join(home, 'fanout.db') });
  try {
    return store.listRuns().length;
  } finally {
    store.close();
  }
}

describe('fanout run --local with your tasks', () => {
  it("runs a task of the tasks module named by the working directory's fanout.config.ts", async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['run', '--local', '--task', 'cube', '--count', '3'], env(), project);
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    expect(stdout.split('\n').filter((l) => l.startsWith('Finished')).sort()).toEqual(['Finished job 0: 0', 'Finished job 1: 1', 'Finished job 2: 8']);
  });

  it('runs a task of the module named by --tasks, with inputs from a file', async () => {
    // Prepare
    const inputs = join(home, 'in.jsonl');
    await writeFile(inputs, '{"text":"one two"}\n{"text":""}\n');
    // Act
    const { code, stdout, stderr } = await runCli(['run', '--local', '--tasks', tasksModule, '--task', 'word-count', '--inputs', inputs], env());
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    expect(stdout.split('\n').filter((l) => l.startsWith('Finished')).sort()).toEqual(['Finished job 0: {"words":2}', 'Finished job 1: {"words":0}']);
  });

  it("reports a result against the task's output schema as a failed job (OutputError), exit 1", async () => {
    const { code, stdout } = await runCli(['run', '--local', '--task', 'liar', '--count', '2'], env(), project);
    expect(code).toBe(EXIT.jobsFailed);
    expect(stdout).toContain("Failed job 1: OutputError: the output at count does not match the task's schema: Too small: expected number to be >0");
  });

  it('fails if a line of the inputs file breaks the input schema: one line naming it, exit 2, nothing sent', async () => {
    // Prepare
    const inputs = join(home, 'in.jsonl');
    await writeFile(inputs, '{"text":"fine"}\n\n{"text":3}\n{"text":"never read"}\n');
    // Act
    const { code, stdout, stderr } = await runCli(['run', '--local', '--task', 'word-count', '--inputs', inputs], env(), project);
    // Assess
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe(`fanout: ${inputs}:3: the input does not match task word-count's schema at text: Invalid input: expected string, received number\n`);
    expect(stdout).toBe('');
    expect(runs()).toBe(0);
  });

  it.each([
    ['no --task for a module of several tasks', ['run', '--local'], 'fanout: --task is needed: tasks.ts has 4 tasks (cube, liar, shout, word-count)\n'],
    ['a task the module does not have', ['run', '--local', '--task', 'square'], 'fanout: unknown task "square" (known: cube, liar, shout, word-count)\n'],
  ])('fails if given %s', async (_, args, message) => {
    const { code, stderr } = await runCli(args, env(), project);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe(message);
  });

  it('fails if --tasks names a missing module', async () => {
    const { code, stderr } = await runCli(['run', '--local', '--tasks', 'nope.ts'], env());
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe('fanout: tasks module nope.ts not found\n');
  });
});

describe('fanout dispatch and fanout work with your tasks', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startEmbeddedBackend();
  });
  afterAll(async () => {
    await backend.stop();
  });

  it('checks --count inputs against the input schema before sending anything', async () => {
    // Prepare
    const target = await backend.target();
    // Act
    const { code, stderr } = await runCli(['dispatch', '--target', backend.endpoint, '--task', 'word-count', '--count', '3'], { ...env(), ...queueEnv(target), ...backend.cliEnv }, project);
    // Assess
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe("fanout: input 0: the input does not match task word-count's schema: Invalid input: expected object, received number\n");
    expect(runs()).toBe(0);
  });

  it.each([
    ['in worker processes, which load the module by path', '1'],
    ['in this process', '0'],
  ])('runs your tasks %s', async (_, processes) => {
    // Prepare
    const target = await backend.target();
    const work = spawnCli(['work', '--target', backend.endpoint, '--tasks', tasksModule, '--processes', processes, '--wait-time', '1'], { ...env(), ...queueEnv(target), ...backend.cliEnv });
    let stderr = '';
    work.stderr!.on('data', (d: Buffer) => (stderr += d));
    const { store } = await openTestStore('user-work-');
    try {
      // Act
      const { run } = await dispatch({ target, store, task: 'shout', inputs: [{ word: 'a' }, { word: 'bc' }] });
      const report = await collect({ target, store, run, timeoutMs: 30_000 });
      // Assess
      expect(report, stderr).toMatchObject({ complete: true, ok: true });
      expect([...store.results(run)].map((r) => r.ok && r.output)).toEqual(['A!', 'BC!']);
      expect(stderr).toContain('tasks: cube, liar, shout, word-count (test/fixtures/project/tasks.ts)');
    } finally {
      work.kill('SIGINT');
      await once(work, 'close');
      store.close();
    }
  });
});
