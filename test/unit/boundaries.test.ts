/**
 * The folder boundaries (.dependency-cruiser.cjs) hold on the real tree, and the check can fail:
 * a forbidden import and a cycle, written into a scratch tree, are both caught.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../helpers/scratch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration;

async function violations(baseDir: string, paths: string[]): Promise<string[]> {
  const { output } = await cruise(paths, {
    ...config.options,
    ruleSet: { forbidden: config.forbidden },
    validate: true,
    baseDir,
  });
  return (output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
}

async function scratchTree(files: Record<string, string>): Promise<string> {
  const dir = await scratchDir('boundaries-');
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('folder boundaries', () => {
  it('hold on the project', async () => {
    // Act
    const found = await violations(root, ['functions', 'cli', 'cdk', 'bench', 'scripts']);
    // Assess
    expect(found).toEqual([]);
  });

  it('fails if the kernel imports the master', async () => {
    // Prepare
    const dir = await scratchTree({
      'functions/wire/contract.ts': "import { runs } from '../../cli/master/store.js';\nexport const x = runs;\n",
      'cli/master/store.ts': 'export const runs = 1;\n',
    });
    // Act
    const found = await violations(dir, ['functions', 'cli']);
    // Assess
    expect(found).toEqual(['kernel-imports-nothing-of-ours: functions/wire/contract.ts → cli/master/store.ts']);
  });

  it('fails if the master imports a worker host, or two modules import each other', async () => {
    // Prepare
    const dir = await scratchTree({
      'cli/master/collect.ts': "import { poll } from '../workers/poller.js';\nexport const collect = poll;\n",
      'cli/workers/poller.ts': 'export const poll = 1;\n',
      'cli/endpoint/a.ts': "import { b } from './b.js';\nexport const a = b;\n",
      'cli/endpoint/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
    });
    // Act
    const found = await violations(dir, ['cli']);
    // Assess
    expect(found).toContain('master-stays-off-worker-hosts-local-and-shell: cli/master/collect.ts → cli/workers/poller.ts');
    expect(found.some((v) => v.startsWith('no-circular: cli/endpoint/'))).toBe(true);
  });
  it('fails if the report imports collect, the store imports the master, cost imports the report, or the master imports the report', async () => {
    // Prepare
    const dir = await scratchTree({
      'cli/report/render.ts': "import { collect } from '../master/collect/collect.js';\nexport const render = collect;\n",
      'cli/master/collect/collect.ts': 'export const collect = 1;\n',
      'cli/master/dispatch/dispatch.ts': "import { render } from '../../report/cost/ledger.js';\nexport const dispatch = render;\n",
      'cli/store/run-store.ts': "import { send } from '../master/send.js';\nexport const store = send;\n",
      'cli/master/send.ts': 'export const send = 1;\n',
      'cli/report/cost/ledger.ts': "import { data } from '../report-data.js';\nexport const render = data;\n",
      'cli/report/report-data.ts': 'export const data = 1;\n',
    });
    // Act
    const found = await violations(dir, ['cli']);
    // Assess
    expect(found).toEqual(
      expect.arrayContaining([
        'report-reads-the-store-and-cost-only: cli/report/render.ts → cli/master/collect/collect.ts',
        'store-is-a-leaf-of-cli: cli/store/run-store.ts → cli/master/send.ts',
        'cost-stands-alone: cli/report/cost/ledger.ts → cli/report/report-data.ts',
        'master-stays-off-worker-hosts-local-and-shell: cli/master/dispatch/dispatch.ts → cli/report/cost/ledger.ts',
      ]),
    );
  });
});

describe('terminal output', () => {
  it('is written by the shell only (cli/bin.ts, cli/program.ts, cli/commands/, cli/output/)', async () => {
    // Prepare: a child process's own entry point may report its death on the stderr its supervisor shares.
    const { readdir, readFile } = await import('node:fs/promises');
    const shell = /^cli\/(bin\.ts|program\.ts|commands\/|output\/)|^cli\/workers\/worker-process\.ts$/;
    const files = (await readdir(root, { recursive: true })).filter((f) => /^(cli|functions)\/.*\.ts$/.test(f) && !shell.test(f));
    // Act
    const writers: string[] = [];
    for (const file of files) {
      const text = await readFile(join(root, file), 'utf8');
      if (/process\.(stdout|stderr)\.write|console\.(log|error|warn|info)\(/.test(text)) writers.push(file);
    }
    // Assess
    expect(files.length).toBeGreaterThan(20);
    expect(writers).toEqual([]);
  });
});
