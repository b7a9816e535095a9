/**
 * The fault suite's verdict, as a pure function of what a run left behind (`FaultEvidence`):
 * the run store (results, quarantine, conflicts), the dead-letter queue, the messages left on
 * the result queues, the injection logs, the kills and every process's exit. Kept apart from the
 * runner so a test can doctor the evidence (remove a result) and watch the verdict fail.
 *
 * The accounting, exactly:
 * - lost: main-run job ids 0 … jobs-1 with no result in the run store (`store.results(run)`).
 * - duplicated: job ids with more than one result there.
 * - results: results there (must equal jobs: no extra, no out-of-range, no unreadable one), and
 *   the run's state must be `complete`.
 * - wrong: first results that do not match their input (a string input must fail with that
 *   message; `{ fail: false, value }` must succeed with `value`).
 * - failed_reported: error results in it; must equal the jobs planned to throw.
 * - fuzzed: fuzz messages sent. Each must end as its case says (fuzz-corpus.ts):
 *   dead-letter → found in the DLQ by its `faults-case` attribute (dead_lettered counts these
 *   and must equal the malformed cases sent); error-result → exactly one error result per job id
 *   in the fuzz run's results file, with the expected error name (and message, when known);
 *   dropped → its result message is in its run's quarantine (the collector refused the
 *   out-of-range id), or the worker's send was refused because that run's queue was already
 *   deleted (complete; logged by the send middleware), or it is still on a result queue.
 * - quarantined: quarantined messages of the main and fuzz runs. Each must be explained: a
 *   garbage body the suite sent straight to the main run's result queue (each of those must be
 *   there), or a result message holding only out-of-range ids of dropped cases.
 * - fuzz_crashes: worker processes that died without being killed by the suite, `error` events
 *   of the worker pool (a poller's receive/delete/handler error, forwarded by the child) except a
 *   lost lease (ReceiptHandleIsInvalid: a heartbeat or delete after the visibility timeout ran
 *   out on a busy machine; counted in the details as leasesLost), and unhandled rejections in the
 *   suite's own process. Injected send failures cause none of these
 *   (the handler turns them into batch item failures), so any is a crash.
 * - injected send failures: at least one, and every main-run job they touched has exactly one
 *   result (every fuzz-run job they touched, at least one).
 * - worker_kills: `kill -9`s of worker processes confirmed by their exit signal; must equal
 *   the kills asked for. collector_restarts: collectors confirmed killed by SIGKILL and started
 *   again; must equal the restarts asked for, and the last collector must exit 0 or 1 (complete).
 * - forced duplicates: at least one job message and one result message re-sent (their jobs
 *   are covered by lost/duplicated).
 * - nothing else in the DLQ (a real job message there is one the pipeline gave up on) and
 *   nothing left on the dispatched queue.
 * - concurrent_collectors: the most main-run collector processes seen running at once; must
 *   reach the number started together. Every collector life the suite did not kill must exit 0
 *   or 1 (complete): an exit 3 is a collector that waited for results another one took.
 * - dispatch_kills: `fanout dispatch` lives confirmed killed by SIGKILL (each then resumed with
 *   `--resume`); must equal the kills asked for; the last life must exit 0 with every job sent.
 * - storage_full: 1 if the capped collector exited 4 with one stderr line naming the cause and
 *   the database, stored nothing, its messages came back, and the uncapped one then completed
 *   the run with exit 0 (side-runs.ts); any of these failing is a problem.
 * - conflicts_reported: forged results (main run and side run) reported as conflicts. Every
 *   forged job must have a conflict carrying the forged outcome, no other job may have one, the
 *   stored results stay the first (checked by `wrong`), and the side run's collect exits 1.
 */
import type { Json } from '../../functions/wire/contract.js';
import type { FaultEvidence, FaultSummary } from './evidence.js';
import { judgeCollectors, judgeConflicts, judgeDispatch, judgeQuarantine, judgeStorageFull, resultIdsIn } from './judge-classes.js';

export type { Exit, FaultEvidence, FaultSummary } from './evidence.js';

export type MainTally = {
  results: number;
  lost: number[];
  duplicated: number[];
  failedReported: number;
  expectedFailures: number;
  wrong: number[];
  outside: number;
  unreadable: number;
  /** Lines per job id. */
  counts: Uint32Array;
};

export type FuzzTally = {
  sent: number;
  malformed: number;
  deadLettered: number;
  errorResultCases: number;
  errorResultsOk: number;
  droppedCases: number;
  droppedAccounted: number;
  /** Cases whose outcome is not what the corpus says, with why. */
  unaccounted: Array<{ index: number; category: string; expect: string; why: string }>;
};

export type FaultVerdict = {
  summary: FaultSummary;
  main: Omit<MainTally, 'counts'>;
  fuzz: FuzzTally;
  sendFaults: { injected: number; byMode: Record<string, number>; jobs: number; jobsNotExactlyOnce: number[]; torn: number };
  /** Every check that failed; empty when the run passes. */
  problems: string[];
  ok: boolean;
};

/** Counts the main results file against the plan. */
export function tallyMainResults(lines: readonly string[], inputs: readonly Json[]): MainTally {
  const jobs = inputs.length;
  const counts = new Uint32Array(jobs);
  const tally: MainTally = { results: 0, lost: [], duplicated: [], failedReported: 0, expectedFailures: 0, wrong: [], outside: 0, unreadable: 0, counts };
  for (const line of lines) {
    if (line.trim() === '') continue;
    tally.results++;
    let result: { id?: unknown; ok?: unknown; output?: unknown; error?: { name?: unknown; message?: unknown } };
    try {
      result = JSON.parse(line) as typeof result;
    } catch {
      tally.unreadable++;
      continue;
    }
    const id = result.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= jobs) {
      tally.outside++;
      continue;
    }
    if (counts[id]!++ > 0) continue;
    if (result.ok === false) tally.failedReported++;
    if (!matchesPlan(result, inputs[id]!)) tally.wrong.push(id);
  }
  for (let id = 0; id < jobs; id++) {
    if (typeof inputs[id] === 'string') tally.expectedFailures++;
    if (counts[id] === 0) tally.lost.push(id);
    else if (counts[id]! > 1) tally.duplicated.push(id);
  }
  return tally;
}

function matchesPlan(result: { ok?: unknown; output?: unknown; error?: { name?: unknown; message?: unknown } }, input: Json): boolean {
  if (typeof input === 'string') return result.ok === false && result.error?.name === 'Error' && result.error.message === input;
  const value = (input as { value?: Json }).value ?? null;
  return result.ok === true && JSON.stringify(result.output) === JSON.stringify(value);
}

/** Checks every fuzz case against its expected outcome. */
export function tallyFuzz(evidence: FaultEvidence): FuzzTally {
  const { corpus } = evidence.fuzz;
  const fuzzResults = new Map<number, Array<{ ok?: unknown; error?: { name?: unknown; message?: unknown } }>>();
  for (const line of evidence.fuzz.resultLines) {
    if (line.trim() === '') continue;
    try {
      const result = JSON.parse(line) as { id: number; ok?: unknown; error?: { name?: unknown; message?: unknown } };
      fuzzResults.set(result.id, [...(fuzzResults.get(result.id) ?? []), result]);
    } catch {
      // A torn line: the collector cuts it off when it restarts; nothing to count.
    }
  }
  const deadLetters = new Map<number, number>();
  for (const index of evidence.deadLetteredCases) deadLetters.set(index, (deadLetters.get(index) ?? 0) + 1);
  const quarantined = new Set([...evidence.main.quarantined, ...evidence.fuzz.quarantined].flatMap((body) => resultIdsIn(body).map(([run, id]) => `${run}/${id}`)));
  const gone = new Set(evidence.queueGone.map(([run, id]) => `${run}/${id}`));
  const leftover = new Set(evidence.leftoverResults.map(([run, id]) => `${run}/${id}`));

  const tally: FuzzTally = { sent: evidence.fuzz.sent, malformed: 0, deadLettered: 0, errorResultCases: 0, errorResultsOk: 0, droppedCases: 0, droppedAccounted: 0, unaccounted: [] };
  for (const fuzzCase of corpus.cases) {
    const miss = (why: string) => tally.unaccounted.push({ index: fuzzCase.index, category: fuzzCase.category, expect: fuzzCase.expect, why });
    const dlq = deadLetters.get(fuzzCase.index) ?? 0;
    if (fuzzCase.expect === 'dead-letter') {
      tally.malformed++;
      if (dlq === 1) tally.deadLettered++;
      else miss(dlq === 0 ? 'not in the dead-letter queue' : `in the dead-letter queue ${dlq} times`);
      continue;
    }
    if (dlq > 0) miss('dead-lettered, but its body is contract-valid');
    if (fuzzCase.expect === 'error-result') {
      tally.errorResultCases++;
      const problems = fuzzCase.ids.flatMap((id) => {
        const results = fuzzResults.get(id) ?? [];
        if (results.length !== 1) return [`job ${id} has ${results.length} results`];
        const [result] = results;
        if (result!.ok !== false) return [`job ${id} succeeded`];
        if (fuzzCase.errorName !== undefined && result!.error?.name !== fuzzCase.errorName) return [`job ${id} failed with ${String(result!.error?.name)}, not ${fuzzCase.errorName}`];
        if (fuzzCase.errorMessage !== undefined && result!.error?.message !== fuzzCase.errorMessage) return [`job ${id} failed with another message`];
        return [];
      });
      if (problems.length === 0) tally.errorResultsOk++;
      else miss(problems.join('; '));
    } else {
      tally.droppedCases++;
      const run = fuzzCase.run ?? corpus.run;
      const accounted = fuzzCase.ids.every((id) => quarantined.has(`${run}/${id}`) || gone.has(`${run}/${id}`) || leftover.has(`${run}/${id}`));
      if (accounted) tally.droppedAccounted++;
      else miss('out-of-range result neither quarantined, nor refused by its deleted run queue, nor left on a result queue');
    }
  }
  if (tally.sent !== corpus.cases.length) tally.unaccounted.push({ index: -1, category: '(send)', expect: 'sent', why: `${corpus.cases.length - tally.sent} case(s) not accepted by the server` });
  return tally;
}

function idsOf(lines: readonly string[]): Set<number> {
  const ids = new Set<number>();
  for (const line of lines) {
    try {
      const id = (JSON.parse(line) as { id?: unknown }).id;
      if (typeof id === 'number') ids.add(id);
    } catch {
      // torn line
    }
  }
  return ids;
}

/** The verdict: the summary line and every failed check. */
export function judge(evidence: FaultEvidence): FaultVerdict {
  const main = tallyMainResults(evidence.main.resultLines, evidence.main.inputs);
  const fuzz = tallyFuzz(evidence);
  const problems: string[] = [];
  const ids = (list: readonly number[]) => `${list.slice(0, 20).join(', ')}${list.length > 20 ? ', …' : ''}`;

  if (main.lost.length > 0) problems.push(`${main.lost.length} job(s) lost (no result): ${ids(main.lost)}`);
  if (main.duplicated.length > 0) problems.push(`${main.duplicated.length} job(s) duplicated in the run store: ${ids(main.duplicated)}`);
  if (main.outside > 0 || main.unreadable > 0) problems.push(`the run store has ${main.outside} out-of-range and ${main.unreadable} unreadable result(s)`);
  if (main.wrong.length > 0) problems.push(`${main.wrong.length} result(s) do not match their input: ${ids(main.wrong)}`);
  if (main.failedReported !== main.expectedFailures) problems.push(`failed_reported ${main.failedReported} ≠ ${main.expectedFailures} jobs planned to throw`);

  if (evidence.crashes.length > 0) problems.push(`${evidence.crashes.length} crash(es): ${evidence.crashes.slice(0, 5).join(' | ')}`);
  if (fuzz.deadLettered !== fuzz.malformed) problems.push(`dead_lettered ${fuzz.deadLettered} ≠ ${fuzz.malformed} malformed fuzz messages sent`);
  if (fuzz.unaccounted.length > 0) {
    const shown = fuzz.unaccounted.slice(0, 5).map((u) => `#${u.index} ${u.category} (${u.expect}): ${u.why}`);
    problems.push(`${fuzz.unaccounted.length} fuzz case(s) unaccounted for: ${shown.join(' | ')}`);
  }
  if (evidence.deadLetteredOther > 0) problems.push(`${evidence.deadLetteredOther} non-fuzz message(s) in the dead-letter queue`);
  if (evidence.leftoverJobMessages > 0) problems.push(`${evidence.leftoverJobMessages} message(s) left on the dispatched queue`);

  const byMode: Record<string, number> = {};
  const touched = new Set<number>();
  for (const record of evidence.sendFaults.records) {
    byMode[record.mode] = (byMode[record.mode] ?? 0) + 1;
    for (const [run, id] of record.jobs) if (run === evidence.main.run && id < main.counts.length) touched.add(id);
  }
  const jobsNotExactlyOnce = [...touched].filter((id) => main.counts[id] !== 1).sort((a, b) => a - b);
  const fuzzIds = idsOf(evidence.fuzz.resultLines);
  const fuzzTouchedMissing = evidence.sendFaults.records
    .flatMap((r) => r.jobs)
    .filter(([run, id]) => run === evidence.fuzz.corpus.run && id < evidence.fuzz.corpus.jobs && !fuzzIds.has(id));
  if (evidence.sendFaults.records.length === 0) problems.push('no send failure was injected');
  if (jobsNotExactlyOnce.length > 0) problems.push(`${jobsNotExactlyOnce.length} job(s) hit by injected send failures lack exactly one result: ${ids(jobsNotExactlyOnce)}`);
  if (fuzzTouchedMissing.length > 0) problems.push(`${fuzzTouchedMissing.length} fuzz job(s) hit by injected send failures have no result`);

  const { workerKills, collector, duplicates } = evidence;
  if (workerKills.confirmed !== workerKills.requested) problems.push(`worker kills: ${workerKills.confirmed} confirmed of ${workerKills.requested} asked for`);
  if (collector.restarts !== collector.requestedRestarts) problems.push(`collector restarts: ${collector.restarts} of ${collector.requestedRestarts} asked for`);
  if (collector.finalExitCode !== 0 && collector.finalExitCode !== 1) {
    problems.push(`the last collector exited with ${collector.finalSignal ?? `code ${collector.finalExitCode}`} (0 or 1 expected: complete)`);
  }
  if (collector.crashes.length > 0) problems.push(`collector crash(es): ${collector.crashes.join(' | ')}`);
  if (duplicates.jobMessagesResent === 0) problems.push('no job message was re-sent (forced duplicate deliveries)');
  if (collector.requestedRestarts > 0 && duplicates.resultMessagesResent === 0) problems.push('no result message was re-sent (forced duplicate results)');

  const classes = { quarantine: judgeQuarantine(evidence), conflicts: judgeConflicts(evidence), collectors: judgeCollectors(evidence), dispatch: judgeDispatch(evidence), storageFull: judgeStorageFull(evidence) };
  for (const verdict of Object.values(classes)) problems.push(...verdict.problems);

  const summary: FaultSummary = {
    jobs: evidence.main.inputs.length,
    results: main.results,
    lost: main.lost.length,
    duplicated: main.duplicated.length,
    failed_reported: main.failedReported,
    dead_lettered: fuzz.deadLettered,
    fuzzed: fuzz.sent,
    fuzz_crashes: evidence.crashes.length,
    worker_kills: workerKills.confirmed,
    collector_restarts: collector.restarts,
    quarantined: classes.quarantine.value,
    concurrent_collectors: classes.collectors.value,
    dispatch_kills: classes.dispatch.value,
    storage_full: classes.storageFull.value,
    conflicts_reported: classes.conflicts.value,
  };
  const { counts: _counts, ...mainOut } = main;
  return {
    summary,
    main: mainOut,
    fuzz,
    sendFaults: { injected: evidence.sendFaults.records.length, byMode, jobs: touched.size, jobsNotExactlyOnce, torn: evidence.sendFaults.torn },
    problems,
    ok: problems.length === 0,
  };
}
