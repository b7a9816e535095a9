/**
 * A worker process: runs local workers until told to stop. Forked by `WorkerProcesses`; its
 * configuration arrives in FANOUT_WORKER_CONFIG so that no lookup is repeated per process.
 *
 * First SIGTERM/SIGINT: drain (stop receiving, finish running batches, release what arrives).
 * Second: exit at once; whatever was in flight reappears after its visibility timeout. The
 * parent sends them: this process leads its own process group, so a terminal's Ctrl-C does not
 * reach it (the parent's first Ctrl-C must not count as a second one here).
 */
import { openTarget } from '../endpoint/target.js';
import { createSqsClient, type RequestCounter } from '../endpoint/clients.js';
import { loadTaskModule } from '../config/load-tasks.js';
import { interruptible } from '../interrupts.js';
import { HandlerTimeoutError } from './event-source-poller.js';
import { startWorkers } from './start-workers.js';
import { WORKER_CONFIG_ENV, type WorkerProcessConfig, type WorkerProcessMessage, type WorkerProcessRequest } from './worker-process-config.js';

async function main(): Promise<void> {
  const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? 'null') as WorkerProcessConfig | null;
  if (!config) throw new Error(`${WORKER_CONFIG_ENV} is not set: this module is started by fanout work`);
  // After the parent is gone there is no one to tell; the send would throw ERR_IPC_CHANNEL_CLOSED.
  const send = (message: WorkerProcessMessage) => {
    if (process.connected) process.send?.(message);
  };
  // Counting costs a map increment per request; the parent asks for the counts (the benchmark does).
  const requests: RequestCounter = new Map();
  const target = openTarget({ ...config.target, sqs: createSqsClient(config.target.connection, { counter: requests }) });
  const tasks = config.tasksModule === undefined ? undefined : await loadTaskModule(config.tasksModule);
  const poller = await startWorkers({ ...config.workers, target, tasks });
  poller.on('invoking', ({ id, records, timeoutMs }) => send({ type: 'invoking', id, records, timeoutMs }));
  poller.on('invoked', ({ id, records, failed }) => send({ type: 'invoked', id, records, failed }));
  poller.on('lost', (lost) => send({ type: 'lost', ...lost }));
  // An overrun is the parent's to report: it kills this process for it, as Lambda would.
  poller.on('error', (error) => {
    if (!(error instanceof HandlerTimeoutError)) send({ type: 'error', message: error.message });
  });
  process.on('message', (request: WorkerProcessRequest) => {
    if (request.type !== 'stats') return;
    const { user, system } = process.cpuUsage();
    send({ type: 'stats', pid: process.pid, requests: Object.fromEntries(requests), maxRssKb: process.resourceUsage().maxRSS, cpuUs: user + system });
  });

  const interrupts = interruptible();
  void interrupts.drained().then(async () => {
    await poller.stop();
    target.close();
    process.exit(0);
  });
  // The parent died without a word: do not linger as an orphan.
  process.on('disconnect', () => interrupts.interrupt());
  send({ type: 'ready' });
}

main().catch((error: unknown) => {
  process.stderr.write(`fanout worker ${process.pid}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
