/**
 * fanout's library API: what the `fanout` CLI is built from, for TypeScript programs.
 *
 * @example
 * const runtime = await startLocalRuntime();
 * const { run, jobs } = await dispatch({ target: runtime.target, task: 'square', inputs: [1, 2, 3] });
 * const report = await collect({ target: runtime.target, manifest: { run, jobs } });
 * await runtime.stop();
 */
export { dispatch, type DispatchOptions, type DispatchReport } from './dispatch/dispatch.js';
export { collect, type CollectOptions, type CollectReport } from './collect/collect.js';
export { resolveTarget, type ResolveTargetOptions, type Target } from './target/resolve-target.js';
export { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from './local/local-runtime.js';
export { startEmbeddedServer, type EmbeddedServer } from './local/embedded-server.js';
export { EventSourcePoller, type EventSourcePollerOptions, type PollerEvents } from './local/event-source-poller.js';
export { startWorkers, type WorkerPoolOptions } from './work/start-workers.js';
export { MasterEmitter, type MasterEvents } from './events.js';
export { readManifest, type RunManifest } from './manifest.js';
export { countInputs, parseInputsJsonl, readInputsFile } from './dispatch/inputs.js';
export { EXIT } from './exit-codes.js';
export { createHandler, handler, type WorkerOptions } from '../functions/worker.js';
export { TASKS, findTask, taskNames, type Task } from '../functions/tasks/index.js';
export * as contract from '../functions/contract.js';
export { ConfigError, ContractError, FanoutError, OversizeError, SendError, UnknownTaskError } from '../functions/errors.js';
