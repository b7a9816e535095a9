/**
 * The fault-injection suite, short: 1,000 jobs, 100 fuzzed bodies, 2 worker kills, 1 collector
 * restart, injected send failures and forced duplicates, on the embedded server (real SQS over
 * HTTP, real child processes, real `kill -9`). `npm run faults` runs the long one (10,000 jobs).
 * Then proofs that the verdict can fail, and checks of the corpus and the generator.
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
    result = await runFaultScenario({ seed: SEED, jobs: 1000, fuzz: 100, kills: 2, collectorRestarts: 1, jobsPerMessage: 1 });
  }, 120_000);

  it('loses no job, doubles none, and no fuzzed message crashes anything', () => {
    // Assess
    const { summary, problems } = result.verdict;
    expect(problems, `seed ${SEED}; evidence kept in ${result.home}`).toEqual([]);
    expect(summary).toMatchObject({ jobs: 1000, results: 1000, lost: 0, duplicated: 0, fuzzed: 100, fuzz_crashes: 0, worker_kills: 2, collector_restarts: 1 });
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
    expect(evidence.deadLetteredOther).toBe(0);
  });

  it('fails if a result line is missing from the results file', () => {
    // Prepare: the run's own evidence, one line gone.
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
    ],
  };
  return {
    main: {
      run: 'r',
      inputs: [{ fail: false, value: 1 }, 'boom', { fail: false, value: 'x' }],
      resultLines: [
        '{"id":0,"ok":true,"output":1,"ms":0}',
        '{"id":1,"ok":false,"error":{"name":"Error","message":"boom"},"ms":0}',
        '{"id":2,"ok":true,"output":"x","ms":0}',
      ],
      warnedOutOfRange: [],
    },
    fuzz: { corpus, sent: 2, resultLines: ['{"id":0,"ok":false,"error":{"name":"UnknownTaskError","message":"unknown task"},"ms":0}'], warnedOutOfRange: [] },
    deadLetteredCases: [0],
    deadLetteredOther: 0,
    leftoverResults: [],
    leftoverJobMessages: 0,
    sendFaults: { records: [{ pid: 1, mode: 'throw-before-send', jobs: [['r', 1]] }], torn: 0 },
    duplicates: { jobMessagesResent: 1, jobsResent: 1, resultMessagesResent: 1, resultsResent: 1 },
    workerKills: { requested: 1, confirmed: 1, midRun: 1 },
    collector: { requestedRestarts: 1, restarts: 1, finalExitCode: 1, finalSignal: null, crashes: [] },
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
      fuzzed: 2,
      fuzz_crashes: 0,
      worker_kills: 1,
      collector_restarts: 1,
    });
  });

  it.each<[string, (e: FaultEvidence) => void, RegExp]>([
    ['a result is duplicated', (e) => (e.main.resultLines = [...e.main.resultLines, e.main.resultLines[0]!]), /^1 job\(s\) duplicated in the results file: 0$/],
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
