/** `fanout status`, `fanout pause`, `fanout resume`: watching and steering a deployed fan-out. */
import { errorInfo } from '../../functions/wire/errors.js';
import { getMapping, setMappingEnabled, type MappingState } from '../master/operations/event-source-mapping.js';
import { queueDepths } from '../master/operations/queue-depths.js';
import { runQueues, type RunQueue } from '../master/operations/run-queues.js';
import { formatDuration } from '../report/cost/numbers.js';
import { jsonLine, note } from '../output/reporter.js';
import { resolveTarget } from '../endpoint/resolve-target.js';
import type { TargetFlags } from './target-flags.js';

export async function statusCommand(flags: TargetFlags & { json?: boolean }): Promise<number> {
  const target = await resolveTarget(flags);
  try {
    const [depths, runs] = await Promise.all([queueDepths(target), runQueues(target)]);
    const deployed = Boolean(target.stack?.eventSourceMappingId || target.stack?.workerFunctionName);
    // The queues are the status; a mapping that cannot be read is reported, not fatal.
    const mapping = deployed ? await getMapping(target).catch((error: unknown) => ({ error: errorInfo(error).message })) : undefined;
    if (flags.json) {
      jsonLine('status', { target: target.where, queues: depths, eventSourceMapping: mapping ?? null, runQueues: runs });
      return 0;
    }
    process.stdout.write(`target      ${target.where}\n`);
    for (const [name, d] of Object.entries(depths)) {
      process.stdout.write(`${name.padEnd(11)} ${String(d.visible).padStart(8)} waiting ${String(d.inFlight).padStart(8)} in flight ${String(d.delayed).padStart(6)} delayed\n`);
    }
    if (!mapping) process.stdout.write('workers     no deployed worker known at this target (local workers are not listed)\n');
    else if ('error' in mapping) process.stdout.write(`mapping     unreadable: ${mapping.error}\n`);
    else process.stdout.write(`${describeMapping(mapping)}\n`);
    for (const line of describeRunQueues(runs)) process.stdout.write(`${line}\n`);
    return 0;
  } finally {
    target.sqs.destroy();
  }
}

export async function pauseCommand(flags: TargetFlags & { json?: boolean }, enabled: boolean): Promise<number> {
  const target = await resolveTarget(flags);
  try {
    const mapping = await setMappingEnabled(target, enabled);
    if (flags.json) jsonLine(enabled ? 'resumed' : 'paused', { eventSourceMapping: mapping });
    else note(`${enabled ? 'resuming' : 'pausing'}: ${describeMapping(mapping)}${enabled ? '' : ' — messages stay queued; `fanout resume` starts them again'}`);
    return 0;
  } finally {
    target.sqs.destroy();
  }
}

export function describeMapping(m: MappingState): string {
  const concurrency = m.maximumConcurrency ? `, max concurrency ${m.maximumConcurrency}` : '';
  return `mapping     ${m.uuid} ${m.state} (batch ${m.batchSize ?? '?'}, window ${m.maximumBatchingWindowSeconds ?? 0} s${concurrency}, partial batch responses ${m.reportsBatchItemFailures ? 'on' : 'OFF'})`;
}

/** The run queues still standing: being collected, or never collected (their results expire 4 days after arriving). */
export function describeRunQueues(runs: readonly RunQueue[]): string[] {
  if (runs.length === 0) return ['run queues  none: every run at this target was collected in full'];
  return [
    `run queues  ${runs.length}, oldest first (a run still being collected, or never collected: \`fanout collect --run ID\`)`,
    ...runs.map((q) => `  ${q.run}  ${formatDuration(q.ageSeconds * 1000)} old  ${q.visible} waiting  ${q.inFlight} in flight`),
  ];
}
