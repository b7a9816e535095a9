/**
 * Preloaded into each worker process the benchmark starts (`NODE_OPTIONS=--import …`), so that
 * the children's SQS requests are counted too without changing fanout's core: every SQSClient
 * gets the same counting middleware as `countRequests` (cli/target/sqs-client.ts) before its
 * first request. On SIGUSR2 the child writes what it counted, with its peak RSS and CPU time, to
 * `$FANOUT_BENCH_PROBE_DIR/<pid>.json`.
 *
 * Plain JavaScript on purpose: NODE_OPTIONS imports run before the `--import tsx` the worker
 * processes are started with, so this file cannot be TypeScript.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';

const dir = process.env.FANOUT_BENCH_PROBE_DIR;

if (dir) {
  /** @type {Map<string, number>} */
  const counter = new Map();
  const counted = new WeakSet();
  const send = SQSClient.prototype.send;
  SQSClient.prototype.send = function countedSend(...args) {
    if (!counted.has(this)) {
      counted.add(this);
      this.middlewareStack.add(
        (next, context) => async (input) => {
          const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
          counter.set(operation, (counter.get(operation) ?? 0) + 1);
          return next(input);
        },
        { step: 'finalizeRequest', name: 'fanoutBenchRequestCounter', priority: 'low' },
      );
    }
    return send.apply(this, args);
  };

  process.on('SIGUSR2', () => {
    const path = join(dir, `${process.pid}.json`);
    const { user, system } = process.cpuUsage();
    const snapshot = { pid: process.pid, requests: Object.fromEntries(counter), maxRssKb: process.resourceUsage().maxRSS, cpuUs: user + system };
    writeFileSync(`${path}.tmp`, JSON.stringify(snapshot));
    renameSync(`${path}.tmp`, path);
  });
}
