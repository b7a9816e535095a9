/**
 * The fault-injection suite, short: 1,000 jobs, 100 fuzzed bodies, 2 worker kills, 3 kills of
 * `fanout dispatch` (each resumed), 3 collectors at once (1 killed and restarted), injected send
 * failures, forced duplicates, forged results and garbage on the run's queue, a collector over a
 * full store, on the embedded server (real SQS over HTTP, real child processes, real `kill -9`).
 * `npm run faults` runs the long one (10,000 jobs). Then proofs that the verdict can fail, and
 * checks of the corpus and the generator.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJobMessage } from '../../functions/wire/contract.js';
import { judge, type FaultEvidence } from '../faults/accounting.js';
import { generateFuzzCorpus } from '../faults/fuzz-corpus.js';
import { mulberry32 } from '../faults/rng.js';
import { runFaultScenario, type FaultScenarioResult } from '../faults/scenario.js';

const SEED = 20_240_611;

describe('fault-injection suite (short)', () => {
  let result: FaultScenarioResult;

  beforeAll(async () => {
    result = await runFaultScenario({ seed: SEED, jobs: 1000, fuzz: 100, kills: 2, collectorRestarts: 1, jobsPerMessage: 1, collectors: 3, dispatchKills: 3 });
  }, 400_000);

  it('loses no job, doubles none, and no fuzzed message crashes anything', () => {
    // Assess
    const { summary, problems } = result.verdict;
    expect(problems, `seed ${SEED}; evidence kept in ${result.home}`).toEqual([]);
    expect(summary).toMatchObject({ jobs: 1000, results: 1000, lost: 0, duplicated: 0, fuzzed: 100, fuzz_crashes: 0, worker_kills: 2, collector_restarts: 1 });
    expect(summary).toMatchObject({ concurrent_collectors: 3, dispatch_kills: 3, storage_full: 1 });
    expect(summary.conflicts_reported).toBe(result.evidence.main.forged.length + (result.evidence.sideConflicts?.forged.length ?? 0));
    expect(summary.quarantined).toBeGreaterThanOrEqual(result.evidence.main.garbage.length);
  });

  it('accounts for every injected failure', () => {
    // Assess
    const { verdict, evidence } = result;
    expect(verdict.summary.failed_reported).toBe(verdict.main.expectedFailures);
    expect(verdict.summary.dead_lettered).toBe(verdict.fuzz.malformed);
    expect(verdict.fuzz.unaccounted).toEqual([]);
    expect(verdict.fuzz.errorResultsOk).toBe(verdict.fuzz.errorResultCases);
    expect(verdict.fuzz.droppedAccounted).toBe(verdict.fuzz.droppedCases);
    expect(verdict.sendFaults.injected).toBeGreaterThanOrEqual(1);
    expect(verdict.sendFaults.jobsNotExactlyOnce).toEqual([]);
    expect(evidence.duplicates.jobMessagesResent).toBeGreaterThanOrEqual(1);
    expect(evidence.duplicates.resultMessagesResent).toBeGreaterThanOrEqual(1);
    expect(evidence.collector.finalExitCode).toBe(1); // complete, with the planned failures
    expect(evidence.collector.exits.every((e) => e.code === 1)).toBe(true);
    expect(evidence.deadLetteredOther).toBe(0);
    expect(evidence.main.state).toBe('complete');
    expect(evidence.storageFull).toMatchObject({ capped: { exit: { code: 4 } }, storedWhileCapped: 0, lifted: { exit: { code: 0 } } });
    expect(evidence.sideConflicts?.final.exit.code).toBe(1);
  });

  it('fails if a job has no result in the run store', () => {
    // Prepare: the run's own evidence, one stored result gone.
    const lines = [...result.evidence.main.resultLines];
    const [removed] = lines.splice(500, 1);
    const doctored: FaultEvidence = { ...result.evidence, main: { ...result.evidence.main, resultLines: lines } };
    // Act
    const verdict = judge(doctored);
    // Assess
    expect(verdict.ok).toBe(false);
    expect(verdict.summary.lost).toBe(1);
    expect(verdict.problems).toContainEqual(expect.stringMatching(new RegExp(`^1 job\\(s\\) lost \\(no result\\): ${(JSON.parse(removed!) as { id: number }).id}$`)));
  });
});

/** Evidence of a tiny clean run: 3 jobs (job 1 throws), 2 fuzz cases, every fault accounted for. */
function cleanEvidence(): FaultEvidence {
  const corpus = {
    run: 'r-fuzz',
    jobs: 1,
    cases: [
      { index: 0, category: 'not-json/garbage', body: 'x', expect: 'dead-letter' as const, ids: [] },
      { index: 1, category: 'valid/unknown-task', body: '{}', expect: 'error-result' as const, run: 'r-fuzz', ids: [0], errorName: 'UnknownTaskError' },
      { index: 2, category: 'valid/id-out-of-range', body: '{}', expect: 'dropped' as const, run: 'r', ids: [1_000_000_000] },
    ],
  };
  const forgedOutcome = { ok: false as const, error: { name: 'Error', message: 'forged failure of job 2' } };
  return {
    main: {
      run: 'r',
      inputs: [{ fail: false, value: 1 }, 'boom', { fail: false, value: 'x' }],
      resultLines: [
        '{"id":0,"ok":true,"output":1,"ms":0}',
        '{"id":1,"ok":false,"error":{"name":"Error","message":"boom"},"ms":0}',
        '{"id":2,"ok":true,"output":"x","ms":0}',
      ],
      quarantined: ['garbage', '{"v":2,"run":"r","worker":"w","cold":false,"attempt":1,"results":[{"id":1000000000,"ok":false,"error":{"name":"Error","message":"out of range"},"started":0,"ms":0}]}'],
      garbage: ['garbage'],
      forged: [{ job: 2, outcome: forgedOutcome }],
      conflicts: [{ job: 2, kept: { ok: true, output: 'x' }, other: { ...forgedOutcome, worker: 'faults-forger', attempt: 1, receivedAt: 0 } }],
      state: 'complete',
    },
    fuzz: { corpus, sent: 3, resultLines: ['{"id":0,"ok":false,"error":{"name":"UnknownTaskError","message":"unknown task"},"ms":0}'], quarantined: [], conflicts: 0 },
    deadLetteredCases: [0],
    deadLetteredOther: 0,
    leftoverResults: [],
    queueGone: [],
    leftoverJobMessages: 0,
    sendFaults: { records: [{ pid: 1, mode: 'throw-before-send', jobs: [['r', 1]] }], torn: 0 },
    duplicates: { jobMessagesResent: 1, jobsResent: 1, resultMessagesResent: 1, resultsResent: 1 },
    workerKills: { requested: 1, confirmed: 1, midRun: 1 },
    collector: { requestedRestarts: 1, restarts: 1, finalExitCode: 1, finalSignal: null, crashes: [], concurrent: 2, peak: 2, exits: [{ code: 1, signal: null }, { code: 1, signal: null }] },
    dispatch: { requestedKills: 1, confirmedKills: 1, final: { code: 0, signal: null }, finalStderr: '', jobsSent: 3, jobs: 3 },
    storageFull: {
      run: 'r-full',
      dbPath: '/tmp/side/fanout.db',
      jobs: 2,
      waiting: 1,
      capBytes: 4096,
      capped: { exit: { code: 4, signal: null }, stderrLines: ['fanout: cannot write the run store /tmp/side/fanout.db: the disk is full (or the database reached its size limit); nothing was lost — run again once it is fixed'] },
      storedWhileCapped: 0,
      cameBack: 1,
      lifted: { exit: { code: 0, signal: null }, stderr: '', done: 2, wrong: [] },
    },
    sideConflicts: {
      run: 'r-conflicts',
      jobs: 2,
      firstWindow: { jobsSent: 1, done: 1, end: 'dispatch-interrupted' },
      forged: [{ job: 0, outcome: { ok: true, output: 6 } }],
      final: { exit: { code: 1, signal: null }, stderr: '', summary: { counts: { conflicts: 1 } } },
      conflicts: [{ job: 0, kept: { ok: true, output: 5 }, other: { ok: true, output: 6, receivedAt: 0 } }],
      wrong: [],
      done: 2,
    },
    crashes: [],
  };
}

describe('judge', () => {
  it('passes clean evidence', () => {
    // Act
    const verdict = judge(cleanEvidence());
    // Assess
    expect(verdict.problems).toEqual([]);
    expect(verdict.summary).toEqual({
      jobs: 3,
      results: 3,
      lost: 0,
      duplicated: 0,
      failed_reported: 1,
      dead_lettered: 1,
      fuzzed: 3,
      fuzz_crashes: 0,
      worker_kills: 1,
      collector_restarts: 1,
      quarantined: 2,
      concurrent_collectors: 2,
      dispatch_kills: 1,
      storage_full: 1,
      conflicts_reported: 2,
    });
  });

  it.each<[string, (e: FaultEvidence) => void, RegExp]>([
    ['a result is duplicated', (e) => (e.main.resultLines = [...e.main.resultLines, e.main.resultLines[0]!]), /^1 job\(s\) duplicated in the run store: 0$/],
    ['a result does not match its input', (e) => (e.main.resultLines = [e.main.resultLines[0]!.replace('"output":1', '"output":2'), ...e.main.resultLines.slice(1)]), /do not match their input: 0$/],
    ['a planned failure is reported ok', (e) => (e.main.resultLines = [e.main.resultLines[0]!, '{"id":1,"ok":true,"output":null,"ms":0}', e.main.resultLines[2]!]), /^failed_reported 0 ≠ 1 jobs planned to throw$/],
    ['a worker crashed', (e) => (e.crashes = ['worker process 9 died on its own (exit code 1)']), /^1 crash\(es\): worker process 9/],
    ['a malformed message is not in the dead-letter queue', (e) => (e.deadLetteredCases = []), /^dead_lettered 0 ≠ 1 malformed fuzz messages sent$/],
    ['a valid fuzz message was dead-lettered', (e) => (e.deadLetteredCases = [0, 1]), /#1 valid\/unknown-task \(error-result\): dead-lettered, but its body is contract-valid/],
    ['a fuzz job got no error result', (e) => (e.fuzz.resultLines = []), /#1 valid\/unknown-task \(error-result\): job 0 has 0 results/],
    ['no send failure was injected', (e) => (e.sendFaults = { records: [], torn: 0 }), /^no send failure was injected$/],
    ['a kill was not confirmed', (e) => (e.workerKills = { requested: 1, confirmed: 0, midRun: 0 }), /^worker kills: 0 confirmed of 1 asked for$/],
    ['the collector was not restarted', (e) => (e.collector = { ...e.collector, restarts: 0 }), /^collector restarts: 0 of 1 asked for$/],
    ['the last collector timed out', (e) => (e.collector = { ...e.collector, finalExitCode: 3 }), /^the last collector exited with code 3/],
    ['a real job was dead-lettered', (e) => (e.deadLetteredOther = 1), /^1 non-fuzz message\(s\) in the dead-letter queue$/],
    ['an out-of-range result was neither quarantined nor dropped with its deleted queue', (e) => (e.main.quarantined = ['garbage']), /#2 valid\/id-out-of-range \(dropped\): out-of-range result neither quarantined/],
    ['a garbage body sent to the run\'s queue is not in quarantine', (e) => (e.main.quarantined = e.main.quarantined.slice(1)), /^1 of 1 garbage message\(s\) sent to the run's result queue are not in its quarantine$/],
    ['a real result was quarantined', (e) => (e.main.quarantined = [...e.main.quarantined, e.main.resultLines[0]!]), /^1 quarantined message\(s\) the suite did not send/],
    ['a repeat of a fuzz result was taken for a conflict', (e) => (e.fuzz.conflicts = 1), /^fuzz run: 1 conflict\(s\), though nothing was forged there/],
    ['a collector exited 3 although the run completed', (e) => (e.collector.exits = [{ code: 1, signal: null }, { code: 3, signal: null }]), /^1 collector\(s\) exited 3 \(incomplete\) although the run completed$/],
    ['a collector crashed', (e) => (e.collector.exits = [{ code: 1, signal: null }, { code: 70, signal: null }]), /^1 collector\(s\) ended with code 70$/],
    ['fewer collectors ran at once than were started', (e) => (e.collector.peak = 1), /^concurrent collectors: at most 1 ran at once of 2 started together$/],
    ['the main run is not complete', (e) => (e.main.state = 'dispatched'), /state is dispatched, not complete$/],
    ['a dispatch kill was not confirmed', (e) => (e.dispatch.confirmedKills = 0), /^dispatch kills: 0 confirmed of 1 asked for$/],
    ['the resumed dispatch failed', (e) => (e.dispatch = { ...e.dispatch, final: { code: 2, signal: null }, finalStderr: 'fanout: nothing to resume\n' }), /^the last dispatch \(resume\) exited with code 2: fanout: nothing to resume$/],
    ['a job was never sent', (e) => (e.dispatch.jobsSent = 2), /^dispatch sent 2 of 3 jobs$/],
    ['the capped collector did not exit 4', (e) => (e.storageFull!.capped.exit = { code: 0, signal: null }), /the capped collector exited with code 0, not 4$/],
    ['the capped collector said more than one line', (e) => e.storageFull!.capped.stderrLines.push('at Object.<anonymous>'), /did not say in one line that the store \/tmp\/side\/fanout.db is full/],
    ['the capped collector did not name the database', (e) => (e.storageFull!.capped.stderrLines = ['fanout: the disk is full']), /did not say in one line/],
    ['a result was stored past the cap', (e) => (e.storageFull!.storedWhileCapped = 1), /^storage_full \(run r-full\): 1 result\(s\) stored past the cap$/],
    ['the capped collector deleted messages', (e) => (e.storageFull!.cameBack = 0), /0 of 1 messages came back to the queue$/],
    ['the uncapped collector did not complete', (e) => (e.storageFull!.lifted.exit = { code: 3, signal: null }), /without the cap, collect exited with code 3/],
    ['a forged result is not reported as a conflict', (e) => (e.main.conflicts = []), /^main run: 1 forged result\(s\) not reported as conflicts: 2$/],
    ['a job has a conflict nobody forged', (e) => (e.main.conflicts = [...e.main.conflicts, { ...e.main.conflicts[0]!, job: 0 }]), /^main run: 1 job\(s\) have conflicts the suite did not forge: 0$/],
    ['a forged result replaced the stored one', (e) => (e.main.conflicts = [{ job: 2, kept: e.main.forged[0]!.outcome, other: { ok: true, output: 'x', receivedAt: 0 } }]), /^main run: 1 forged result\(s\) replaced the stored one: 2$/],
    ['collect exits 0 despite a conflict', (e) => (e.sideConflicts!.final.exit = { code: 0, signal: null }), /^side run r-conflicts: collect exited with code 0, not 1/],
    ['a forged result landed in the side run\'s store', (e) => (e.sideConflicts!.wrong = [0]), /^side run r-conflicts: 2\/2 results, 1 not the first \(real\) one: 0$/],
  ])('fails if %s', (_, doctor, problem) => {
    // Prepare
    const evidence = cleanEvidence();
    doctor(evidence);
    // Act
    const verdict = judge(evidence);
    // Assess
    expect(verdict.ok).toBe(false);
    expect(verdict.problems).toContainEqual(expect.stringMatching(problem));
  });
});

describe('fuzz corpus', () => {
  const corpus = generateFuzzCorpus(mulberry32(SEED), { count: 400, run: 'r-fuzz', otherRun: 'r-main' });

  it('is the same for the same seed', () => {
    // Act
    const again = generateFuzzCorpus(mulberry32(SEED), { count: 400, run: 'r-fuzz', otherRun: 'r-main' });
    // Assess
    expect(again.cases.map((c) => c.body)).toEqual(corpus.cases.map((c) => c.body));
  });

  it('holds only bodies SQS accepts, at most 1 MiB with their attribute', () => {
    // Assess
    for (const fuzzCase of corpus.cases) {
      expect(fuzzCase.body.length, fuzzCase.category).toBeGreaterThan(0);
      expect(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/.test(fuzzCase.body), fuzzCase.category).toBe(false);
      expect(Buffer.byteLength(fuzzCase.body) + 64, fuzzCase.category).toBeLessThanOrEqual(1_048_576);
    }
  });

  it("keeps every huge body under 1 MiB with any seed, though its text may hold $' or $& (these four seeds once grew one past it)", () => {
    for (const seed of [18, 29, 31, 34]) {
      // Act
      const cases = generateFuzzCorpus(mulberry32(seed), { count: 60, run: 'r-fuzz', otherRun: 'r-main' }).cases;
      // Assess
      for (const fuzzCase of cases) expect(Buffer.byteLength(fuzzCase.body) + 64, `seed ${seed}: ${fuzzCase.category}`).toBeLessThanOrEqual(1_048_576);
    }
  });

  it('breaks the contract exactly where it says so', () => {
    // Assess: malformed bodies fail to parse; the others parse, with the ids they promise.
    for (const fuzzCase of corpus.cases) {
      if (fuzzCase.expect === 'dead-letter') {
        expect(() => parseJobMessage(fuzzCase.body), `#${fuzzCase.index} ${fuzzCase.category}: ${fuzzCase.body.slice(0, 120)}`).toThrow();
      } else {
        expect(parseJobMessage(fuzzCase.body).jobs.map((j) => j.id), `#${fuzzCase.index} ${fuzzCase.category}`).toEqual(fuzzCase.ids);
      }
    }
  });

  it('numbers the fuzz run\'s jobs 0 … jobs-1, each once', () => {
    // Assess
    const ids = corpus.cases.filter((c) => c.expect === 'error-result').flatMap((c) => c.ids).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: corpus.jobs }, (_, i) => i));
  });
});
