/**
 * fanout's library API: what the `fanout` CLI is built from, for TypeScript programs.
 *
 * @example
 * const runtime = await startLocalRuntime();
 * const { run, jobs } = await dispatch({ target: runtime.target, task: 'square', inputs: [1, 2, 3] });
 * const report = await collect({ target: runtime.target, manifest: { run, jobs } });
 * await runtime.stop();
 */
export { dispatch, type DispatchOptions, type DispatchReport } from './master/dispatch/dispatch.js';
export { collect, type CollectOptions, type CollectReport } from './master/collect/collect.js';
export { resolveTarget, type ResolveTargetOptions } from './endpoint/resolve-target.js';
export type { Target } from './endpoint/target.js';
export type { Connection } from './endpoint/connection.js';
export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions, type LocalWorkersOptions } from './local/local-runtime.js';
export { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './local/embedded-server.js';
export type { AccessKey } from './endpoint/credentials.js';
export { WorkerProcesses, type WorkerProcessesOptions } from './workers/worker-processes.js';
export { EventSourcePoller, type EventSourcePollerOptions, type PollerEvents } from './workers/event-source-poller.js';
export { startWorkers, type WorkerPoolOptions } from './workers/start-workers.js';
export { MasterEmitter, type MasterEvents } from './master/events.js';
export { readManifest, type RunManifest } from './master/manifest.js';
export { countInputs, parseInputsJsonl, readInputsFile } from './master/dispatch/inputs.js';
export { EXIT } from './output/exit-codes.js';
export { createHandler, handler, type WorkerOptions } from '../functions/worker.js';
export { TASKS, findTask, taskNames, type Task } from '../functions/tasks/index.js';
export * as contract from '../functions/wire/contract.js';
export { UsageError, ContractError, FanoutError, OversizeError, SendError, UnknownTaskError } from '../functions/wire/errors.js';
