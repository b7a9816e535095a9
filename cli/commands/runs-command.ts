/** `fanout runs`: the runs in this directory's store, newest first. */
import { effectiveState } from '../store/run-state.js';
import type { RunRecord } from '../store/types.js';
import { jsonLine } from '../output/reporter.js';
import { withStore } from './run-store.js';

export async function runsCommand(flags: { json?: boolean; limit: number }): Promise<number> {
  return withStore(async (store) => {
    const runs = store.listRuns(flags.limit);
    if (flags.json) {
      for (const run of runs) jsonLine('run', summary(run));
      return 0;
    }
    if (runs.length === 0) {
      process.stderr.write(`no runs in ${store.path} yet: \`fanout dispatch\` starts one\n`);
      return 0;
    }
    const rows = runs.map((run) => {
      const s = summary(run);
      return [s.run, s.task, s.target, String(s.jobs ?? `${s.jobsSent}+`), String(s.ok), String(s.failed), String(s.missing), String(s.conflicts), s.state, age(run.createdAt)];
    });
    const header = ['run', 'task', 'target', 'jobs', 'ok', 'failed', 'missing', 'conflicts', 'state', 'age'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((c, i) => (i >= 3 && i <= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
    process.stdout.write(`${[line(header), ...rows.map(line)].join('\n')}\n`);
    return 0;
  });
}

function summary(run: RunRecord) {
  const expected = run.jobs ?? run.jobsSent;
  return {
    run: run.id,
    task: run.task,
    target: run.target.connection === 'aws' ? 'aws' : run.target.name,
    targetKind: run.target.connection,
    jobs: run.jobs ?? null,
    jobsSent: run.jobsSent,
    ok: run.counts.ok,
    failed: run.counts.failed,
    missing: Math.max(0, expected - run.counts.done),
    conflicts: run.counts.conflicts,
    duplicates: run.counts.duplicates,
    quarantined: run.counts.quarantined,
    state: effectiveState(run),
    createdAt: new Date(run.createdAt).toISOString(),
  };
}

function age(since: number): string {
  const s = Math.max(0, Math.round((Date.now() - since) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}
