/** Failed jobs grouped by what went wrong, so one cause reads as one line however many jobs it hit. */
import { compactRanges } from './id-ranges.js';
import type { ReportJob } from './report-data.js';

export type FailureGroup = { name: string; message: string; count: number; ids: number[] };

/**
 * The shape of a message with its numbers masked: "job 13 failed after 2.5 s" and "job 14 failed
 * after 3 s" are one cause, which a message carrying the job's own id or timing would split apart.
 */
export function messageShape(message: string): string {
  return message.replace(/-?\d+(\.\d+)?/g, '#');
}

/**
 * Groups by error name and message shape, largest group first (ties by first id). A group's
 * message is its first job's when all share it, else the shape ("job # failed").
 */
export function failureGroups(jobs: readonly ReportJob[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const job of jobs) {
    if (job.ok) continue;
    const name = job.error?.name ?? 'Error';
    const message = job.error?.message ?? '(no message)';
    const key = JSON.stringify([name, messageShape(message)]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { name, message, count: 0, ids: [] }));
    else if (group.message !== message) group.message = messageShape(message);
    group.count++;
    group.ids.push(job.id);
  }
  for (const group of groups.values()) group.ids.sort((a, b) => a - b);
  return [...groups.values()].sort((a, b) => b.count - a.count || a.ids[0]! - b.ids[0]!);
}

/** A group's ids as compact ranges, at most `maxRanges` of them. */
export function groupIds(group: FailureGroup, maxRanges = 40): string {
  return compactRanges(group.ids, { maxRanges });
}
