/**
 * Which tasks a command or a client gets: --tasks, else fanout.config.* in the working directory,
 * else the built-in ones; TypeScript and JavaScript modules; one-line errors for what goes wrong.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findConfigFile, readConfig } from '../../../cli/config/find-config.js';
import { loadTaskModule, resolveTasks } from '../../../cli/config/load-tasks.js';
import { BUILTIN_TASKS } from '../../../functions/tasks/builtin-tasks.js';
import { UsageError } from '../../../functions/wire/errors.js';
import { scratchDir } from '../../helpers/scratch.js';

const project = fileURLToPath(new URL('../../fixtures/project/', import.meta.url));
const taskIndex = fileURLToPath(new URL('../../../functions/tasks/index.ts', import.meta.url));

describe('resolveTasks', () => {
  it("loads the tasks module of the working directory's fanout.config.ts (TypeScript, through tsx)", async () => {
    // Act
    const loaded = await resolveTasks(undefined, project);
    // Assess
    expect(loaded.registry.names()).toEqual(['cube', 'liar', 'shout', 'word-count']);
    expect(loaded.module).toBe(join(project, 'tasks.ts'));
    expect(loaded.source).toBe(join(project, 'fanout.config.ts'));
    expect(await loaded.registry.find('cube')!.run(3 as never, undefined as never)).toBe(27);
  });

  it('prefers --tasks to the config file', async () => {
    const dir = await scratchDir('tasks-flag-');
    await writeFile(join(dir, 'only.mjs'), `import { defineTask } from ${JSON.stringify(taskIndex)};\nexport const one = defineTask({ name: 'one', run: () => 1 });\n`);
    const loaded = await resolveTasks(join(dir, 'only.mjs'), project);
    expect(loaded).toMatchObject({ module: join(dir, 'only.mjs'), source: '--tasks' });
    expect(loaded.registry.names()).toEqual(['one']);
  });

  it('gives the built-in tasks when there is no config file', async () => {
    const loaded = await resolveTasks(undefined, await scratchDir('no-config-'));
    expect(loaded).toEqual({ registry: BUILTIN_TASKS, module: undefined, source: 'built-in' });
  });

  it('reads a JavaScript config (fanout.config.mjs), its tasks path relative to the config file', async () => {
    const dir = await scratchDir('js-config-');
    await writeFile(join(dir, 'fanout.config.mjs'), `export default { tasks: ${JSON.stringify(join(project, 'tasks.ts'))} };\n`);
    expect(findConfigFile(dir)).toBe(join(dir, 'fanout.config.mjs'));
    expect(await readConfig(join(dir, 'fanout.config.mjs'))).toEqual({ tasks: join(project, 'tasks.ts') });
  });
});

describe('one-line errors', () => {
  it('fails if two config files are found', async () => {
    const dir = await scratchDir('two-configs-');
    await writeFile(join(dir, 'fanout.config.ts'), 'export default {};\n');
    await writeFile(join(dir, 'fanout.config.js'), 'export default {};\n');
    expect(() => findConfigFile(dir)).toThrow(new UsageError(`2 fanout config files in ${dir} (fanout.config.ts, fanout.config.js): keep one`));
  });

  it('fails if the config has no default export object, or an unknown key, or a tasks that is not a path', async () => {
    const dir = await scratchDir('bad-config-');
    const write = async (name: string, text: string) => {
      await writeFile(join(dir, name), text);
      return join(dir, name);
    };
    await expect(readConfig(await write('a.mjs', 'export const tasks = "x";\n'))).rejects.toThrow(/a\.mjs: the config file must `export default` an object/);
    await expect(readConfig(await write('b.mjs', 'export default { task: "x" };\n'))).rejects.toThrow(/b\.mjs: unknown config key "task" \(known: tasks\)/);
    await expect(readConfig(await write('c.mjs', 'export default { tasks: 3 };\n'))).rejects.toThrow(/c\.mjs: `tasks` must be the path of your tasks module, relative to the config file \(given 3\)/);
  });

  it('fails if the tasks module is missing, does not load, or exports no task', async () => {
    const dir = await scratchDir('bad-module-');
    await writeFile(join(dir, 'broken.ts'), 'export const x = ;\n');
    await writeFile(join(dir, 'empty.ts'), 'export const x = 1;\n');
    await expect(loadTaskModule(join(dir, 'nope.ts'))).rejects.toThrow(new UsageError(`tasks module ${join(dir, 'nope.ts')} not found`));
    await expect(loadTaskModule(join(dir, 'broken.ts'))).rejects.toThrow(new RegExp(`^cannot load tasks module ${join(dir, 'broken.ts')}: `));
    await expect(loadTaskModule(join(dir, 'empty.ts'))).rejects.toThrow(
      new UsageError(`tasks module ${join(dir, 'empty.ts')} exports no task: export tasks made with defineTask (import { defineTask } from 'fanout/task')`),
    );
  });

  it('fails if two tasks share a name', async () => {
    const dir = await scratchDir('twins-');
    const define = `import { defineTask } from ${JSON.stringify(taskIndex)};\n`;
    await writeFile(join(dir, 'twins.ts'), `${define}export const a = defineTask({ name: 'twin', run: () => 1 });\nexport const b = defineTask({ name: 'twin', run: () => 2 });\n`);
    await expect(loadTaskModule(join(dir, 'twins.ts'))).rejects.toThrow(`tasks module ${join(dir, 'twins.ts')}: two tasks are named "twin": task names must be unique`);
  });
});
