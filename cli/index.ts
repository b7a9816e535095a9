/**
 * fanout's library API: the typed client (`fanout()`), and what the `fanout` CLI is built from.
 * Tasks are declared with `defineTask` from `fanout/task` (light enough for a Lambda bundle).
 *
 * @example
 * import { fanout } from 'fanout';
 * import * as tasks from './tasks.js';
 *
 * await using fan = await fanout({ tasks, target: 'local' });
 * for await (const r of fan.map(tasks.resize, inputs, { timeout: '10m' })) show(r.id, r.ok ? r.output.bytes : r.error.message);
 *
 * @example
 * // the parts, by hand
 * const runtime = await startLocalRuntime();
 * const store = RunStore.open({ path: '.fanout/fanout.db' });
 * const { run } = await dispatch({ target: runtime.target, store, task: 'square', inputs: { kind: 'values', values: [1, 2, 3] } });
 * const report = await collect({ target: runtime.target, store, run });
 * await runtime.stop();
 */
export { fanout, FanoutClient } from './client/fanout-client.js';
export type { FanoutOptions, Inputs, MapAllResult, MapOptions, MapResult, MapStream, MapSummary, ResumeOptions } from './client/types.js';
export type { Duration } from './client/duration.js';
export { defineConfig, type FanoutConfig } from './config/define-config.js';
export { loadTaskModule, resolveTasks, type LoadedTasks } from './config/load-tasks.js';
export { dispatch, type DispatchOptions, type DispatchReport } from './master/dispatch/dispatch.js';
export type { InputsSource } from './master/dispatch/inputs.js';
export { collect, type CollectOptions, type CollectReport } from './master/collect/collect.js';
export { RunStore, storePath, type RunStoreOptions } from './store/run-store.js';
export type { Conflict, RunRecord, RunState, StoredResult } from './store/types.js';
export { exportResults, type ExportFormat } from './store/export-results.js';
export { MasterEmitter, type MasterEvents } from './master/events.js';
export { resolveTarget, type ResolveTargetOptions } from './endpoint/resolve-target.js';
export type { Target } from './endpoint/target.js';
export type { Connection } from './endpoint/connection.js';
export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions, type LocalWorkersOptions } from './local/local-runtime.js';
export { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './local/embedded-server.js';
export type { AccessKey } from './endpoint/credentials.js';
export { WorkerProcesses, type WorkerProcessesOptions } from './workers/worker-processes.js';
export { EventSourcePoller, type EventSourcePollerOptions, type PollerEvents } from './workers/event-source-poller.js';
export { startWorkers, type WorkerPoolOptions } from './workers/start-workers.js';
export { EXIT } from './output/exit-codes.js';
export { createHandler, handler, type WorkerOptions } from '../functions/worker.js';
export { BUILTIN_TASKS, defineTask, isTask, TaskRegistry, type Task, type TaskContext, type TaskDefinition, type TaskInput, type TaskOutput } from '../functions/tasks/index.js';
export * as contract from '../functions/wire/contract.js';
export { ContractError, FanoutError, InputError, OutputError, OversizeError, SendError, ServiceError, StorageError, UnknownTaskError, UsageError } from '../functions/wire/errors.js';
