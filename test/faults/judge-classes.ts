/**
 * The checks of the fault classes that came with the run store (accounting.ts says what each
 * promises): quarantine, conflicts, concurrent collectors, dispatch kills, a full store. Each
 * takes the evidence and returns its count for the summary line and the problems it found.
 */
import type { Outcome } from '../../cli/store/types.js';
import type { Exit, FaultEvidence } from './evidence.js';

/** [run, id] of each result in a result message body; nothing for a body that is not one. */
export function resultIdsIn(body: string): Array<[string, number]> {
  try {
    const message = JSON.parse(body) as { run?: unknown; results?: Array<{ id?: unknown }> };
    if (typeof message.run !== 'string' || !Array.isArray(message.results)) return [];
    return message.results.flatMap((r) => (typeof r?.id === 'number' ? [[message.run as string, r.id] as [string, number]] : []));
  } catch {
    return [];
  }
}

/** Two outcomes are the same result: both ok with equal output, or both failed with equal error. */
export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.ok ? b.ok && JSON.stringify(a.output) === JSON.stringify(b.output) : !b.ok && a.error.name === b.error.name && a.error.message === b.error.message;
}

export type ClassVerdict = { value: number; problems: string[] };

const ids = (list: readonly number[]) => `${list.slice(0, 20).join(', ')}${list.length > 20 ? ', …' : ''}`;
const describeExit = (exit: Exit) => exit.signal ?? `code ${exit.code}`;

/** Every quarantined message explained; every garbage body sent quarantined. */
export function judgeQuarantine(evidence: FaultEvidence): ClassVerdict {
  const { main, fuzz } = evidence;
  const problems: string[] = [];
  const garbage = new Set(main.garbage);
  const outOfRange = new Set(fuzz.corpus.cases.filter((c) => c.expect === 'dropped').flatMap((c) => c.ids.map((id) => `${c.run ?? fuzz.corpus.run}/${id}`)));
  const explained = (run: string) => (body: string) => {
    if (run === main.run && garbage.has(body)) return true;
    const found = resultIdsIn(body);
    return found.length > 0 && found.every(([r, id]) => r === run && outOfRange.has(`${r}/${id}`));
  };
  const strangers = [...main.quarantined.filter((b) => !explained(main.run)(b)), ...fuzz.quarantined.filter((b) => !explained(fuzz.corpus.run)(b))];
  if (strangers.length > 0) problems.push(`${strangers.length} quarantined message(s) the suite did not send as garbage or out of range: ${strangers.slice(0, 3).map((b) => JSON.stringify(b.slice(0, 120))).join(' | ')}`);
  const kept = new Set(main.quarantined);
  const missing = main.garbage.filter((body) => !kept.has(body));
  if (missing.length > 0) problems.push(`${missing.length} of ${main.garbage.length} garbage message(s) sent to the run's result queue are not in its quarantine`);
  return { value: main.quarantined.length + fuzz.quarantined.length, problems };
}

/** Forged results against the conflicts stored; `where` names the run in the messages. */
function judgeForged(where: string, forged: ReadonlyArray<{ job: number; outcome: Outcome }>, conflicts: FaultEvidence['main']['conflicts']): ClassVerdict {
  const problems: string[] = [];
  const forgedJobs = new Map(forged.map((f) => [f.job, f.outcome]));
  const strays = [...new Set(conflicts.filter((c) => !forgedJobs.has(c.job)).map((c) => c.job))].sort((a, b) => a - b);
  if (strays.length > 0) problems.push(`${where}: ${strays.length} job(s) have conflicts the suite did not forge: ${ids(strays)}`);
  let reported = 0;
  const unreported: number[] = [];
  for (const [job, outcome] of forgedJobs) {
    if (conflicts.some((c) => c.job === job && sameOutcome(c.other, outcome))) reported++;
    else unreported.push(job);
  }
  if (unreported.length > 0) problems.push(`${where}: ${unreported.length} forged result(s) not reported as conflicts: ${ids(unreported.sort((a, b) => a - b))}`);
  const replaced = conflicts.filter((c) => forgedJobs.has(c.job) && sameOutcome(c.kept, forgedJobs.get(c.job)!)).map((c) => c.job);
  if (replaced.length > 0) problems.push(`${where}: ${replaced.length} forged result(s) replaced the stored one: ${ids(replaced)}`);
  return { value: reported, problems };
}

export function judgeConflicts(evidence: FaultEvidence): ClassVerdict {
  const main = judgeForged('main run', evidence.main.forged, evidence.main.conflicts);
  if (evidence.fuzz.conflicts > 0) main.problems.push(`fuzz run: ${evidence.fuzz.conflicts} conflict(s), though nothing was forged there and its tasks are deterministic`);
  if (evidence.main.forged.length === 0) main.problems.push('no result was forged on the main run');
  const side = evidence.sideConflicts;
  if (!side) return main;
  const checked = judgeForged(`side run ${side.run}`, side.forged, side.conflicts);
  if (side.forged.length === 0) checked.problems.push(`side run ${side.run}: no result was forged`);
  if (side.final.exit.code !== 1) checked.problems.push(`side run ${side.run}: collect exited with ${describeExit(side.final.exit)}, not 1, with ${side.conflicts.length} conflict(s) and every job ok`);
  if (side.done !== side.jobs || side.wrong.length > 0) checked.problems.push(`side run ${side.run}: ${side.done}/${side.jobs} results, ${side.wrong.length} not the first (real) one: ${ids(side.wrong)}`);
  const counts = (side.final.summary?.counts ?? {}) as { conflicts?: number };
  if ((counts.conflicts ?? 0) < side.forged.length) checked.problems.push(`side run ${side.run}: collect's summary counts ${counts.conflicts ?? 0} conflict(s) for ${side.forged.length} forged`);
  return { value: main.value + checked.value, problems: [...main.problems, ...checked.problems] };
}

export function judgeCollectors(evidence: FaultEvidence): ClassVerdict {
  const { collector } = evidence;
  const problems: string[] = [];
  if (collector.peak < collector.concurrent) problems.push(`concurrent collectors: at most ${collector.peak} ran at once of ${collector.concurrent} started together`);
  const spurious = collector.exits.filter((e) => e.code === 3).length;
  if (spurious > 0) problems.push(`${spurious} collector(s) exited 3 (incomplete) although the run completed`);
  const crashed = collector.exits.filter((e) => e.code !== 0 && e.code !== 1 && e.code !== 3);
  if (crashed.length > 0) problems.push(`${crashed.length} collector(s) ended with ${crashed.map(describeExit).join(', ')}`);
  if (evidence.main.state !== 'complete') problems.push(`the main run's state is ${evidence.main.state}, not complete`);
  return { value: collector.peak, problems };
}

export function judgeDispatch(evidence: FaultEvidence): ClassVerdict {
  const { dispatch } = evidence;
  const problems: string[] = [];
  if (dispatch.confirmedKills !== dispatch.requestedKills) problems.push(`dispatch kills: ${dispatch.confirmedKills} confirmed of ${dispatch.requestedKills} asked for`);
  if (dispatch.final && dispatch.final.code !== 0) problems.push(`the last dispatch (resume) exited with ${describeExit(dispatch.final)}: ${dispatch.finalStderr.trim().split('\n').at(-1) ?? ''}`);
  if (dispatch.jobsSent !== dispatch.jobs) problems.push(`dispatch sent ${dispatch.jobsSent} of ${dispatch.jobs} jobs`);
  return { value: dispatch.confirmedKills, problems };
}

export function judgeStorageFull(evidence: FaultEvidence): ClassVerdict {
  const full = evidence.storageFull;
  if (!full) return { value: 0, problems: [] };
  const problems: string[] = [];
  const where = `storage_full (run ${full.run})`;
  if (full.capped.exit.code !== 4) problems.push(`${where}: the capped collector exited with ${describeExit(full.capped.exit)}, not 4`);
  const [line] = full.capped.stderrLines;
  if (full.capped.stderrLines.length !== 1 || !line!.includes(full.dbPath) || !/disk is full|size limit/.test(line!)) {
    problems.push(`${where}: the capped collector did not say in one line that the store ${full.dbPath} is full: ${JSON.stringify(full.capped.stderrLines.slice(0, 3))}`);
  }
  if (full.storedWhileCapped !== 0) problems.push(`${where}: ${full.storedWhileCapped} result(s) stored past the cap`);
  if (full.cameBack < full.waiting) problems.push(`${where}: ${full.cameBack} of ${full.waiting} messages came back to the queue`);
  if (full.lifted.exit.code !== 0 || full.lifted.done !== full.jobs || full.lifted.wrong.length > 0) {
    problems.push(`${where}: without the cap, collect exited with ${describeExit(full.lifted.exit)} and ${full.lifted.done}/${full.jobs} results (${full.lifted.wrong.length} wrong)`);
  }
  return { value: problems.length === 0 ? 1 : 0, problems };
}
