/**
 * The function-length check (scripts/check-function-length.ts, part of `npm test`) measures each
 * kind of function from the AST, fails on one line over the limit and passes at the limit.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { functionLengths, longFunctions, MAX_FUNCTION_LINES } from '../../scripts/function-length.js';
import { scratchDir } from '../helpers/scratch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A function declaration whose body spans `lines` lines, braces included. */
function functionOf(name: string, lines: number): string {
  const statements = Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i};`);
  return [`export function ${name}() {`, ...statements, '}', ''].join('\n');
}

async function scratchTree(files: Record<string, string>): Promise<string> {
  const dir = await scratchDir('function-length-');
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function check(dir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/check-function-length.ts'), dir], { encoding: 'utf8' });
}

describe('functionLengths', () => {
  it('measures the body of every kind of function, nested ones inside their holder', () => {
    // Prepare
    const text = [
      'class Pool {', //                              1
      '  constructor() {', //                         2
      '    this.x = 1;', //                           3
      '  }', //                                       4
      '  start() { return 1; }', //                   5
      '  get size() {', //                            6
      '    return 2;', //                             7
      '  }', //                                       8
      '  readonly #count = () => 0;', //              9
      '  [Symbol.dispose]() {}', //                   10
      '}', //                                         11
      'const run = async () => {', //                 12
      '  [1].map(function (n) {', //                  13
      '    return n;', //                             14
      '  });', //                                     15
      '};', //                                        16
      'const options = { parse: (s: string) => s };', // 17
    ].join('\n');
    // Act
    const found = functionLengths('a.ts', text).map(({ line, name, lines }) => ({ line, name, lines }));
    // Assess
    expect(found).toEqual([
      { line: 2, name: 'Pool constructor', lines: 3 },
      { line: 5, name: 'Pool.start', lines: 1 },
      { line: 6, name: 'Pool.get size', lines: 3 },
      { line: 9, name: 'Pool.#count', lines: 1 },
      { line: 10, name: 'Pool.[Symbol.dispose]', lines: 1 },
      { line: 12, name: 'run', lines: 5 },
      { line: 13, name: '(callback of map)', lines: 3 },
      { line: 17, name: 'parse', lines: 1 },
    ]);
  });

  it('is not fooled by braces in strings, template literals or comments', () => {
    // Prepare
    const text = ['function f() {', "  const a = '}}}';", '  const b = `${"{"}`; // }', '  /* } */', '  return a + b;', '}'].join('\n');
    // Act
    const [f] = functionLengths('a.ts', text);
    // Assess
    expect(f).toMatchObject({ name: 'f', lines: 6 });
  });
});

describe('check-function-length', () => {
  it(`finds no function over ${MAX_FUNCTION_LINES} lines in the product`, async () => {
    // Act
    const long = await longFunctions(root);
    // Assess
    expect(long).toEqual([]);
  });

  it(`fails if a function is ${MAX_FUNCTION_LINES + 1} lines long, naming file, line, name and length`, async () => {
    // Prepare
    const dir = await scratchTree({
      'cli/long.ts': `// a comment\n${functionOf('tooLong', MAX_FUNCTION_LINES + 1)}`,
      'cdk/fits.ts': functionOf('fits', MAX_FUNCTION_LINES),
    });
    // Act
    const { status, stdout, stderr } = check(dir);
    // Assess
    expect(status).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'cli/long.ts:2: tooLong is 81 lines long (at most 80)\n' + '1 function(s) over 80 lines in functions, cli, cdk, bench, scripts: split each into named steps\n',
    );
  });

  it(`passes if the longest is ${MAX_FUNCTION_LINES} lines long`, async () => {
    // Prepare
    const dir = await scratchTree({ 'bench/fits.ts': functionOf('fits', MAX_FUNCTION_LINES), 'scripts/tool.mjs': functionOf('tool', 12) });
    // Act
    const { status, stdout, stderr } = check(dir);
    // Assess
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe('no function over 80 lines in functions, cli, cdk, bench, scripts\n');
  });

  it('leaves test/ out: it is not product code', async () => {
    // Prepare
    const dir = await scratchTree({ 'test/long.test.ts': functionOf('longTest', 200) });
    // Act
    const long = await longFunctions(dir);
    // Assess
    expect(long).toEqual([]);
  });
});
