/**
 * fanout's library API: what the `fanout` CLI is built from, for TypeScript programs.
 *
 * @example
 * const runtime = await startLocalRuntime();
 * const store = RunStore.open({ path: '.fanout/fanout.db' });
 * const { run } = await dispatch({ target: runtime.target, store, task: 'square', inputs: { kind: 'values', values: [1, 2, 3] } });
 * const report = await collect({ target: runtime.target, store, run });
 * await runtime.stop();
 */
export { dispatch, type DispatchOptions, type DispatchReport } from './master/dispatch/dispatch.js';
export type { InputsSource } from './master/dispatch/inputs.js';
export { collect, type CollectOptions, type CollectReport } from './master/collect/collect.js';
export { RunStore, storePath, type RunStoreOptions } from './master/store/run-store.js';
export type { Conflict, RunRecord, RunState, StoredResult } from './master/store/types.js';
export { exportResults, type ExportFormat } from './master/results/export-results.js';
export { MasterEmitter, type MasterEvents } from './master/events.js';
export { resolveTarget, type ResolveTargetOptions } from './endpoint/resolve-target.js';
export type { Target } from './endpoint/target.js';
export type { Connection } from './endpoint/connection.js';
export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from './local/local-runtime.js';
export { startEmbeddedServer, type EmbeddedServer } from './local/embedded-server.js';
export { EventSourcePoller, type EventSourcePollerOptions, type PollerEvents } from './workers/event-source-poller.js';
export { startWorkers, type WorkerPoolOptions } from './workers/start-workers.js';
export { EXIT } from './output/exit-codes.js';
export { createHandler, handler, type WorkerOptions } from '../functions/worker.js';
export { BUILTIN_TASKS, defineTask, TaskRegistry, type Task, type TaskContext, type TaskInput, type TaskOutput } from '../functions/tasks/index.js';
export * as contract from '../functions/wire/contract.js';
export { ContractError, FanoutError, InputError, OutputError, OversizeError, SendError, ServiceError, StorageError, UnknownTaskError, UsageError } from '../functions/wire/errors.js';
