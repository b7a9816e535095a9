/**
 * `fanout … --json | head`: the reader goes away while fanout still writes. fanout must stop
 * quietly with 141 (as SIGPIPE stops other tools), not print a stack trace, and leave a store the
 * next command reads.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';

describe('a closed pipe on stdout', () => {
  it('stops run --local --json quietly with 141, and the store still answers', async () => {
    // Prepare
    const home = await scratchDir('closed-pipe-');
    const env = { FANOUT_HOME: `${home}/.fanout` };
    const child = spawnCli(['run', '--local', '--json', '--count', '20000'], env, home);
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    // Act: read the first lines, then go away, as `head` does.
    await once(child.stdout!, 'data');
    child.stdout!.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    // Assess
    expect(code, stderr).toBe(141);
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    const runs = await runCli(['runs', '--json'], env, home);
    expect(runs.code, runs.stderr).toBe(0);
    expect(runs.stdout.trim().split('\n')).toHaveLength(1);
  }, 120_000);
});
