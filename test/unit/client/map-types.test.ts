/**
 * The types of `defineTask` and `map()`, proved two ways: `expectTypeOf` assertions that
 * `npm run typecheck` checks (tsc over test/), and a file that must fail to compile, type-checked
 * here with the TypeScript API, whose one error is asserted.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { FanoutClient } from '../../../cli/client/fanout-client.js';
import type { MapAllResult, MapResult, MapStream } from '../../../cli/client/types.js';
import { defineTask, type Task, type TaskContext, type TaskInput, type TaskOutput } from '../../../functions/tasks/index.js';
import * as tasks from '../../fixtures/project/tasks.js';

describe('defineTask', () => {
  it("takes a task's input type from its input schema and its output type from run, or the output schema", () => {
    // zod; the output schema's output type
    expectTypeOf<TaskInput<typeof tasks.wordCount>>().toEqualTypeOf<{ text: string }>();
    expectTypeOf<TaskOutput<typeof tasks.wordCount>>().toEqualTypeOf<{ words: number }>();
    // run's return type
    expectTypeOf<TaskInput<typeof tasks.cube>>().toEqualTypeOf<number>();
    expectTypeOf<TaskOutput<typeof tasks.cube>>().toEqualTypeOf<number>();
    // valibot; an async run's resolved value
    expectTypeOf<TaskInput<typeof tasks.shout>>().toEqualTypeOf<{ word: string }>();
    expectTypeOf<TaskOutput<typeof tasks.shout>>().toEqualTypeOf<string>();
    expect(tasks.shout.name).toBe('shout');
  });

  it("accepts the schema's input type and runs with its output type, when a default or a transform sets them apart", () => {
    const resize = defineTask({
      name: 'resize',
      input: z.object({ url: z.url(), width: z.int().positive().default(100) }),
      run: ({ url, width }) => {
        expectTypeOf(width).toEqualTypeOf<number>();
        return { bytes: url.length * width };
      },
    });
    const trimmed = defineTask({
      name: 'trimmed',
      input: v.pipe(v.string(), v.transform((s) => s.trim().length)),
      run: (length) => {
        expectTypeOf(length).toEqualTypeOf<number>();
        return length;
      },
    });
    expectTypeOf<TaskInput<typeof resize>>().toEqualTypeOf<{ url: string; width?: number | undefined }>();
    expectTypeOf<TaskOutput<typeof resize>>().toEqualTypeOf<{ bytes: number }>();
    expectTypeOf<TaskInput<typeof trimmed>>().toEqualTypeOf<string>();
    expect(resize.name).toBe('resize');
  });

  it('takes any input without a schema, and gives run its context', () => {
    const echo = defineTask({
      name: 'echo',
      run: (input, context) => {
        expectTypeOf(input).toEqualTypeOf<unknown>();
        expectTypeOf(context).toEqualTypeOf<TaskContext>();
        return context.jobId;
      },
    });
    expectTypeOf(echo).toEqualTypeOf<Task<unknown, number>>();
  });

  it('refuses a run whose value does not fit the output schema, and an output schema that is not a schema', () => {
    const noWords = () =>
      // @ts-expect-error: run returns a string where the output schema wants { words }
      defineTask({ name: 'bad-output', output: z.object({ words: z.number() }), run: () => 'three' });
    const notASchema = () =>
      // @ts-expect-error: an output schema must be a Standard Schema
      defineTask({ name: 'not-a-schema', output: { parse: () => 1 }, run: () => 1 });
    expect(noWords).not.toThrow();
    expect(notASchema).toThrow('defineTask: the output of task "not-a-schema" is not a Standard Schema (zod 4, valibot, arktype…)');
  });
});

describe('map()', () => {
  // Types only: never called.
  const typesOf = (fan: FanoutClient) => {
    expectTypeOf(fan.map(tasks.wordCount, [{ text: 'a b' }])).toEqualTypeOf<MapStream<{ words: number }>>();
    expectTypeOf(fan.mapAll(tasks.cube, new Set([1, 2]))).toEqualTypeOf<Promise<MapAllResult<number>>>();
    expectTypeOf(fan.resume('r-1', { task: tasks.shout })).toEqualTypeOf<MapStream<string>>();
    // @ts-expect-error: word-count wants { text: string }
    fan.map(tasks.wordCount, [{ text: 42 }]);
    // @ts-expect-error: cube wants numbers, here from an async iterable of strings
    fan.map(tasks.cube, (async function* () { yield 'one'; })());
    // Results narrow on ok.
    return async () => {
      for await (const r of fan.map(tasks.wordCount, [{ text: 'x' }])) {
        expectTypeOf(r).toEqualTypeOf<MapResult<{ words: number }>>();
        if (r.ok) expectTypeOf(r.output.words).toEqualTypeOf<number>();
        else expectTypeOf(r.error).toEqualTypeOf<{ readonly name: string; readonly message: string }>();
      }
    };
  };

  it("takes inputs of the task's input type and yields results of its output type", () => {
    expect(typeof typesOf).toBe('function');
  });

  it('fails to compile with an input of the wrong type, the error at the wrong field', () => {
    // Prepare
    const file = fileURLToPath(new URL('../../fixtures/compile/wrong-input.ts', import.meta.url));
    const configPath = fileURLToPath(new URL('../../../tsconfig.json', import.meta.url));
    const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, fileURLToPath(new URL('../../..', import.meta.url)));
    // Act
    const program = ts.createProgram([file], { ...options, noEmit: true, rootDir: undefined });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => ({
      file: d.file?.fileName.split('/').slice(-2).join('/'),
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    // Assess
    expect(errors).toEqual([{ file: 'compile/wrong-input.ts', line: 9, code: 2322, message: "Type 'number' is not assignable to type 'string'." }]);
  }, 60_000);
});
