/**
 * On a Node older than 22.13, `fanout` prints one line naming the Node found and the one needed,
 * before loading anything that would fail (node:sqlite) — the same line as scripts/check-node.mjs.
 * An older Node is faked here by a preload; test/package/ runs the installed bin on a real one.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../cli/node-version.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `args` with `process.versions.node` set to `version` before anything else loads. */
function runAs(version: string, args: string[]) {
  const fake = `data:text/javascript,Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '${version}' } });`;
  return spawnSync(process.execPath, ['--import', fake, ...args], { cwd: root, encoding: 'utf8' });
}

describe('nodeVersionProblem', () => {
  it.each(['22.13.0', '22.20.1', '23.0.0', '24.11.0', '26.0.0'])('accepts %s', (version) => {
    expect(nodeVersionProblem(version)).toBeUndefined();
  });

  it.each(['20.18.0', '22.12.0', '18.20.4'])('refuses %s in one line', (version) => {
    expect(nodeVersionProblem(version)).toBe(
      `fanout needs Node.js >= 22.13 (24 recommended, the Lambda runtime); found ${version}. Install it with: npm i -g --prefix ~/.node24 node@24 && export PATH=~/.node24/bin:$PATH`,
    );
  });
});

describe('on Node 20', () => {
  it('the fanout command prints the one line and exits 1, before loading the rest', () => {
    // Act
    const { status, stdout, stderr } = runAs('20.18.0', ['--import', 'tsx', 'cli/bin.ts', 'run', '--local']);
    // Assess
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${nodeVersionProblem('20.18.0')}\n`);
  });

  it('scripts/check-node.mjs (npm test) prints the same line', () => {
    const { status, stderr } = runAs('20.18.0', ['scripts/check-node.mjs']);
    expect(status).toBe(1);
    expect(stderr).toBe(`${nodeVersionProblem('20.18.0')}\n`);
  });
});
