/**
 * `fanout/parts`: what the CLI and the client are built from, for those who assemble a run by
 * hand: dispatch and collect, the run store, the target, the local runtime and its workers, loading
 * a tasks module, and the wire contract. The client (`fanout()` in `fanout`) is the usual way in.
 *
 * @example
 * import { collect, dispatch, RunStore, startLocalRuntime } from 'fanout/parts';
 *
 * const runtime = await startLocalRuntime();
 * const store = RunStore.open({ path: '.fanout/fanout.db' });
 * const { run } = await dispatch({ target: runtime.target, store, task: 'square', inputs: { kind: 'values', values: [1, 2, 3] } });
 * const report = await collect({ target: runtime.target, store, run });
 * await runtime.stop();
 */
export { dispatch, type DispatchOptions, type DispatchReport } from './master/dispatch/dispatch.js';
export type { InputsSource } from './master/dispatch/inputs.js';
export { collect, type CollectOptions, type CollectReport } from './master/collect/collect.js';
export { MasterEmitter, type MasterEvents } from './master/events.js';
export { RunStore, storePath, type RunStoreOptions } from './store/run-store.js';
export type { Conflict, RunRecord, RunState, StoredResult } from './store/types.js';
export { exportResults, type ExportFormat } from './store/export-results.js';
export { resolveTarget, type ResolveTargetOptions } from './endpoint/resolve-target.js';
export type { Target } from './endpoint/target.js';
export type { Connection } from './endpoint/connection.js';
export type { AccessKey } from './endpoint/credentials.js';
export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions, type LocalWorkersOptions } from './local/local-runtime.js';
export { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './local/embedded-server.js';
export { WorkerProcesses, type WorkerProcessesOptions } from './workers/worker-processes.js';
export { EventSourcePoller, type EventSourcePollerOptions, type PollerEvents } from './workers/event-source-poller.js';
export { startWorkers, type WorkerPoolOptions } from './workers/start-workers.js';
export { loadTaskModule, resolveTasks, type LoadedTasks } from './config/load-tasks.js';
export * as contract from '../functions/wire/contract.js';
