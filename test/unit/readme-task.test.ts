/**
 * The README's "add a task" snippet, built as written: copied into a copy of functions/, type-checked
 * with the project's compiler options, and run through the worker's runJobs.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { readmeFile } from '../helpers/readme.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository, so that zod and the rest resolve from its node_modules.
const copy = join(root, 'node_modules', '.cache', 'fanout-readme-test', String(process.pid));

afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe("the README's new task (functions/tasks/cube.ts)", () => {
  it('compiles and runs as written', async () => {
    // Prepare: functions/ with the README's two edits.
    await mkdir(copy, { recursive: true });
    await cp(join(root, 'functions'), join(copy, 'functions'), { recursive: true });
    await writeFile(join(copy, 'functions/tasks/cube.ts'), readmeFile('functions/tasks/cube.ts'));
    const builtin = join(copy, 'functions/tasks/builtin.ts');
    await writeFile(builtin, `${await readFile(builtin, 'utf8')}${readmeFile('functions/tasks/builtin.ts')}`);
    const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
    // Act
    const program = ts.createProgram([join(copy, 'functions/tasks/builtin-tasks.ts'), join(copy, 'functions/run-jobs.ts')], { ...options, noEmit: true, rootDir: undefined });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    const { BUILTIN_TASKS } = (await tsImport(pathToFileURL(join(copy, 'functions/tasks/builtin-tasks.ts')).href, import.meta.url)) as typeof import('../../functions/tasks/builtin-tasks.js');
    const { runJobs } = (await tsImport(pathToFileURL(join(copy, 'functions/run-jobs.ts')).href, import.meta.url)) as typeof import('../../functions/run-jobs.js');
    const { results } = await runJobs(BUILTIN_TASKS, 'cube', [{ id: 0, input: 3 }, { id: 1, input: 'three' }], { run: 'r-readme' });
    // Assess
    expect(errors).toEqual([]);
    expect(BUILTIN_TASKS.names()).toContain('cube');
    expect(results).toMatchObject([{ id: 0, ok: true, output: 27 }, { id: 1, ok: false, error: { name: 'InputError' } }]);
  }, 60_000);
});
