/**
 * The README's table of errors, row by row: each is reproduced through the real CLI and must come
 * out as that one line on stderr with that exit status. A row without a reproduction here (or a
 * reproduction without its row) fails, so the table cannot drift from what users see.
 */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { scratchDir } from '../helpers/scratch.js';

type Row = { message: string; exit: number };

/** The rows of the README's "### Errors" table: `message` as written (backticks and `\|` undone). */
function readmeErrors(): Row[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.split('\n### Errors\n')[1]?.split(/\n#{2,3} /)[0];
  if (!section) throw new Error('README.md has no "### Errors" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split(/(?<!\\)\|/).map((cell) => cell.trim());
      const message = /^`(.*)`$/.exec(cells[1]!)![1]!.replaceAll('\\|', '|').replaceAll('\\`', '`');
      return { message, exit: Number(cells[2]) };
    });
}

/** A row as a pattern for one line: `…` stands for any text, the rest is literal. */
function linePattern(message: string): RegExp {
  const literal = message.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('.+')}$`);
}

/** A fresh home (the run store) that is also the working directory. */
async function freshHome() {
  const home = await scratchDir('errors-');
  const env = { FANOUT_HOME: home, FANOUT_TARGET: '' };
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { ...env, ...extra }, home);
  return { home, cli };
}

/** Runs `args` against a plain web server that answers every request with a page of HTML. */
async function againstWebPage(args: (url: string) => string[]): Promise<CliResult> {
  const { cli } = await freshHome();
  const server = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html>\n<html><body>It works!</body></html>\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await cli(args(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** How to meet each row, keyed by the start of its message. */
const reproductions: Record<string, () => Promise<CliResult>> = {
  'fanout: cannot reach SQS': async () => (await freshHome()).cli(['dispatch', '--target', 'http://127.0.0.1:9']),
  'fanout: in.jsonl:3: not JSON': async () => {
    const { home, cli } = await freshHome();
    await writeFile(join(home, 'in.jsonl'), '1\n2\n{three\n');
    return cli(['run', '--local', '--inputs', 'in.jsonl']);
  },
  'fanout: in.jsonl:2: the integer': async () => {
    const { home, cli } = await freshHome();
    await writeFile(join(home, 'in.jsonl'), '1\n9007199254740993\n');
    return cli(['run', '--local', '--inputs', 'in.jsonl']);
  },
  'fanout: unknown task': async () => (await freshHome()).cli(['run', '--local', '--task', 'cube']),
  'fanout: --count must be': async () => (await freshHome()).cli(['dispatch', '--count', 'ten']),
  'fanout: no local fanout': async () => (await freshHome()).cli(['dispatch']),
  'fanout: no run dispatched': async () => (await freshHome()).cli(['collect']),
  'fanout: --run must be': async () => (await freshHome()).cli(['collect', '--run', '../../package']),
  'fanout: results.jsonl exists': async () => {
    const { home, cli } = await freshHome();
    const ran = await cli(['run', '--local', '--count', '2']);
    expect(ran.code, ran.stderr).toBe(0);
    await writeFile(join(home, 'results.jsonl'), 'my notes, not an export\n');
    return cli(['results', '--out', 'results.jsonl']);
  },
  'fanout: no AWS credentials': async () =>
    (await freshHome()).cli(['dispatch', '--target', 'aws'], {
      // No key, profile, config file or instance role: the SDK finds nothing, and asks no network.
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: '/nonexistent/fanout-test/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/fanout-test/credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
      AWS_WEB_IDENTITY_TOKEN_FILE: '',
      AWS_REGION: 'us-east-1',
    }),
  'fanout: http://127.0.0.1:… is not an SQS endpoint': () => againstWebPage((url) => ['status', '--target', url]),
  'fanout: cannot write the run store': async () => {
    // A store capped at its first pages: 3,000 results do not fit.
    const { cli } = await freshHome();
    return cli(['run', '--local', '--count', '3000'], { FANOUT_STORE_MAX_BYTES: '4096' });
  },
};

const rows = readmeErrors();
const keyOf = (row: Row) => Object.keys(reproductions).find((key) => row.message.startsWith(key));

describe("the README's table of errors", () => {
  it('has a reproduction here for each row, and a row for each reproduction', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.filter((row) => !keyOf(row)).map((row) => row.message)).toEqual([]);
    expect(Object.keys(reproductions).filter((key) => !rows.some((row) => keyOf(row) === key))).toEqual([]);
  });

  it.each(rows.filter((row) => keyOf(row)).map((row) => [row.message, row] as const))('%s', async (_, row) => {
    // Act
    const { code, stderr } = await reproductions[keyOf(row)!]!();
    // Assess: that line, the only error and the last word (progress notes may come before it), and that status.
    const lines = stderr.trimEnd().split('\n');
    expect(lines.filter((line) => line.startsWith('fanout:')), stderr).toHaveLength(1);
    expect(lines.at(-1)).toMatch(linePattern(row.message));
    expect(code).toBe(row.exit);
  });
});
