/**
 * `--inputs` given something other than a plain file: a pipe (`--inputs <(…)`), a FIFO, a file
 * saved with a byte-order mark. Each is read once, every job sent once, with nothing lost.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/output/exit-codes.js';
import { outputOf, runCli, spawnCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = import.meta.resolve('tsx');

let home: string;
beforeEach(async () => {
  home = await scratchDir('fanout-inputs-');
});
const env = () => ({ ...process.env, FANOUT_HOME: join(home, '.fanout'), FANOUT_TARGET: '', FORCE_COLOR: '0' });

const finished = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('Finished job'))
    .sort();

describe('--inputs that can be read only once', () => {
  it('runs every line of a pipe given as a path (`--inputs <(…)`) once', async () => {
    // Prepare: the shell's process substitution hands the CLI a pipe as /dev/fd/N.
    const cli = [process.execPath, '--import', tsx, join(root, 'cli/bin.ts'), 'run', '--local', '--inputs'].map((a) => `'${a}'`).join(' ');
    // Act
    const child = spawn('bash', ['-c', `exec ${cli} <(printf '1\\n2\\n3\\n')`], { cwd: home, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const { code, stdout, stderr } = await outputOf(child);
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    expect(finished(stdout)).toEqual(['Finished job 0: 1', 'Finished job 1: 4', 'Finished job 2: 9']);
    expect(stderr).toMatch(/3\/3 results \(3 ok, 0 failed\)/);
  });

  it('runs every line of a FIFO once, without waiting for a second writer', async () => {
    // Prepare
    const fifo = join(home, 'in.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawnCli(['run', '--local', '--inputs', fifo], { FANOUT_HOME: join(home, '.fanout'), FANOUT_TARGET: '' }, home);
    const done = outputOf(child);
    // Act: one writer, once (opening the FIFO waits for the CLI to open it for reading).
    await writeFile(fifo, '4\n5\n');
    const { code, stdout, stderr } = await done;
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    expect(finished(stdout)).toEqual(['Finished job 0: 16', 'Finished job 1: 25']);
  }, 20_000);
});

describe('--inputs file encodings', () => {
  it('skips a byte-order mark at the start of the file', async () => {
    // Prepare: as Notepad and other Windows editors save UTF-8.
    const inputs = join(home, 'bom.jsonl');
    await writeFile(inputs, '\uFEFF1\r\n2\r\n');
    // Act
    const { code, stdout, stderr } = await runCli(['run', '--local', '--inputs', inputs], { FANOUT_HOME: join(home, '.fanout'), FANOUT_TARGET: '' }, home);
    // Assess
    expect(code, stderr).toBe(EXIT.ok);
    expect(finished(stdout)).toEqual(['Finished job 0: 1', 'Finished job 1: 4']);
  });
});

describe('FANOUT_HOME that is not a directory', () => {
  it.each([
    ['a file', (home: string) => join(home, 'afile')],
    ['under a file', (home: string) => join(home, 'afile', 'x')],
  ])('is %s: one line that says so, exit 2, nothing sent', async (_, homeOf) => {
    // Prepare
    await writeFile(join(home, 'afile'), 'not a directory\n');
    // Act
    const { code, stdout, stderr } = await runCli(['run', '--local', '--count', '2'], { FANOUT_HOME: homeOf(home), FANOUT_TARGET: '' }, home);
    // Assess
    expect(stderr).toMatch(/^fanout: cannot open the run store .*\/fanout\.db: a file is in the way of its directory .*: move it, or set FANOUT_HOME to a directory\n$/);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
  });
});
