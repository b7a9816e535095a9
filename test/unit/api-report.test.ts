/**
 * The public API report: the committed api/fanout.api.md is what the code exports, and the check
 * fails on any change of surface (an export added, an option's type changed, even in a type no entry
 * exports) but not on what users cannot see (a comment, a moved file, a private member).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_REPORT_FILE, API_UPDATE_COMMAND, apiReport, reportDifference } from '../../scripts/api-report.js';
import { scratchDir } from '../helpers/scratch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the public API report', () => {
  it(`matches the code (a meant change: ${API_UPDATE_COMMAND}, and commit the report)`, async () => {
    // Act
    const report = apiReport(root);
    // Assess
    const difference = reportDifference(await readFile(join(root, API_REPORT_FILE), 'utf8'), report);
    expect(difference, difference).toBeUndefined();
  }, 180_000);
});

/** A package of two entries, one of which takes options whose types are partly unexported. */
const PACKAGE: Record<string, string> = {
  'package.json': JSON.stringify({
    name: 'scratch',
    type: 'module',
    exports: { '.': { types: './dist/src/index.d.ts', default: './dist/src/index.js' }, './more': { types: './dist/src/more.d.ts', default: './dist/src/more.js' } },
  }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2023', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, types: [], declaration: true, outDir: 'dist', rootDir: '.' } }),
  'src/index.ts': `import type { Options } from './options.js';
export type { Options };
export function start(options: Options): number {
  return options.timeoutMs ?? 0;
}
`,
  'src/options.ts': `export type Options = { timeoutMs?: number; retry?: Retry };
type Retry = { times: number };
`,
  'src/more.ts': `export class Runner {
  #state = 0;
  run(): number {
    return this.#state;
  }
}
`,
};

describe('the API report check', () => {
  let dir: string;
  let baseline: string;

  /** The scratch package's report after an edit of one of its files. */
  async function reportAfter(file: string, edit: (text: string) => string): Promise<string> {
    const path = join(dir, file);
    const original = await readFile(path, 'utf8');
    await writeFile(path, edit(original));
    try {
      return apiReport(dir);
    } finally {
      await writeFile(path, original);
    }
  }

  beforeAll(async () => {
    dir = await scratchDir('api-report-');
    for (const [name, text] of Object.entries(PACKAGE)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    baseline = apiReport(dir);
  }, 60_000);

  it('reports each entry, its exports and the unexported types they reference', () => {
    expect(baseline).toContain('## scratch\n\n2 exports: 1 values, 1 types.');
    expect(baseline).toContain('## scratch/more\n\n1 exports: 1 values, 0 types.');
    expect(baseline).toContain('type Options = {\n    timeoutMs?: number;\n    retry?: Retry;\n};');
    expect(baseline).toContain('Referenced, not exported:\n\n```ts\ntype Retry = {\n    times: number;\n};');
    expect(baseline).not.toContain('#state');
  });

  it('fails if an export is added, printing it and the command that accepts it', async () => {
    // Act
    const difference = reportDifference(baseline, await reportAfter('src/more.ts', (t) => `${t}export const added = 1;\n`));
    // Assess
    expect(difference).toContain('+ const added = 1;');
    expect(difference).toContain('- 1 exports: 1 values, 0 types.');
    expect(difference).toContain(`run \`${API_UPDATE_COMMAND}\``);
  });

  it("fails if an option's type changes", async () => {
    const difference = reportDifference(baseline, await reportAfter('src/options.ts', (t) => t.replace('timeoutMs?: number', 'timeoutMs?: string')));
    expect(difference).toContain('-     timeoutMs?: number;\n+     timeoutMs?: string;');
  });

  it('fails if a type that no entry exports changes under an option', async () => {
    const difference = reportDifference(baseline, await reportAfter('src/options.ts', (t) => t.replace('times: number', 'times: number | "forever"')));
    expect(difference).toContain('+     times: number | "forever";');
  });

  it('fails if a function signature changes', async () => {
    const difference = reportDifference(baseline, await reportAfter('src/index.ts', (t) => t.replace('start(options: Options)', 'start(options?: Options)')));
    expect(difference).toContain('+ function start(options?: Options): number;');
  });

  it('passes a doc comment, a private member and a moved file: users see none of them', async () => {
    // Act
    const commented = await reportAfter('src/options.ts', (t) => `/** Options, documented. */\n${t}`);
    const privately = await reportAfter('src/more.ts', (t) => t.replace('#state = 0;', '#state = 0;\n  #other = "x";'));
    await mkdir(join(dir, 'src/lib'), { recursive: true });
    await rename(join(dir, 'src/options.ts'), join(dir, 'src/lib/options.ts'));
    const moved = await reportAfter('src/index.ts', (t) => t.replace("'./options.js'", "'./lib/options.js'"));
    await rename(join(dir, 'src/lib/options.ts'), join(dir, 'src/options.ts'));
    // Assess
    expect(reportDifference(baseline, commented)).toBeUndefined();
    expect(reportDifference(baseline, privately)).toBeUndefined();
    expect(reportDifference(baseline, moved)).toBeUndefined();
  });
});
