/**
 * Loaded (`--import`, through NODE_OPTIONS) into each worker process the fault suite starts:
 * gives every SQSClient the process creates the send-failure middleware of `send-faults.ts`.
 * worker-process.ts builds its client itself and offers no hook, so the preload wraps
 * `SQSClient.prototype.send` to install the middleware on a client's first request. It does
 * nothing unless FANOUT_FAULTS_SEND is set.
 *
 * FANOUT_FAULTS_SEND: JSON `{ seed, rate, logPath, goneLogPath }`. The finished queue's URL comes from the
 * worker's own configuration (FANOUT_WORKER_CONFIG). Each process seeds its generator with
 * seed XOR pid: which calls fail depends on timing anyway, so it cannot be replayed exactly.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { WORKER_CONFIG_ENV, type WorkerProcessConfig } from '../../cli/workers/worker-process-config.js';
import { mulberry32 } from './rng.js';
import { installSendFaults } from './send-faults.js';

export const SEND_FAULTS_ENV = 'FANOUT_FAULTS_SEND';

export type SendFaultsEnv = { seed: number; rate: number; logPath: string; goneLogPath?: string };

function main(): void {
  const raw = process.env[SEND_FAULTS_ENV];
  const worker = process.env[WORKER_CONFIG_ENV];
  if (!raw || !worker) return;
  const { seed, rate, logPath, goneLogPath } = JSON.parse(raw) as SendFaultsEnv;
  const queueUrl = (JSON.parse(worker) as WorkerProcessConfig).target.queues.finished.url;
  const rng = mulberry32((seed ^ process.pid) >>> 0);
  const installed = new WeakSet<SQSClient>();
  const prototype = SQSClient.prototype as unknown as { send: (this: SQSClient, ...args: unknown[]) => unknown };
  const send = prototype.send;
  prototype.send = function (this: SQSClient, ...args: unknown[]) {
    if (!installed.has(this)) {
      installed.add(this);
      installSendFaults(this, { queueUrl, rate, rng, logPath, goneLogPath });
    }
    return send.apply(this, args);
  };
}

main();
