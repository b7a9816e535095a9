/**
 * `fanout`: the library's front door. The typed client (`fanout()`), `defineTask`, `defineConfig`
 * and the errors. The parts the CLI is built from (dispatch, collect, the run store, the local
 * runtime) are in `fanout/parts` (cli/parts.ts); a tasks module imports `fanout/task` (light
 * enough for a Lambda bundle). api/fanout.api.md records what each entry exports.
 *
 * @example
 * import { fanout } from 'fanout';
 * import * as tasks from './tasks.js';
 *
 * await using fan = await fanout({ tasks, target: 'local' });
 * for await (const r of fan.map(tasks.resize, inputs, { timeout: '10m' })) show(r.id, r.ok ? r.output.bytes : r.error.message);
 */
export { fanout, FanoutClient } from './client/fanout-client.js';
export type { FanoutOptions, Inputs, MapAllResult, MapOptions, MapResult, MapStream, MapSummary, ResumeOptions } from './client/types.js';
export type { Duration } from './client/duration.js';
export { defineTask, type Task, type TaskContext, type TaskDefinition, type TaskInput, type TaskOutput } from '../functions/tasks/define-task.js';
export { defineConfig, type FanoutConfig } from './config/define-config.js';
export { ContractError, FanoutError, InputError, OutputError, OversizeError, SendError, ServiceError, StorageError, UnknownTaskError, UsageError } from '../functions/wire/errors.js';
