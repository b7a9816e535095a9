/**
 * The fuzz corpus: message bodies sent straight to the dispatched queue, each with the outcome
 * the pipeline owes it.
 *
 * - `dead-letter`: the body breaks the wire contract (not JSON, wrong types, missing or extra
 *   fields, `__proto__` keys, unknown versions, bad run/task/job ids, huge garbage). The worker
 *   reports the record failed every time, so after maxReceiveCount deliveries SQS moves it to the
 *   dead-letter queue, where the suite finds it by its `faults-case` message attribute.
 * - `error-result`: a contract-valid message whose jobs must fail (unknown tasks, including
 *   `constructor` and `tostring`; wrong input types; a throwing task; `__proto__` inputs; nested
 *   inputs; inputs near 1 MiB, one whose error result just fits and one whose result must become an
 *   OversizeError; characters a body cannot carry raw, sent escaped). Its job ids are the fuzz
 *   run's 0 … jobs-1, and each must come back as exactly one error result (`errorName`, and
 *   `errorMessage` where known).
 * - `dropped`: a contract-valid message whose job id is outside its run's range: the worker
 *   computes it, and the run's collector must quarantine the result message in the run store (or,
 *   if that run was complete and its result queue deleted first, the worker drops the result, and
 *   the suite's send middleware logs the drop).
 *
 * Contract-valid bodies name their run's own result queue as `reply` (`replyOf`), as dispatch's do.
 *
 * Every body uses only characters SQS accepts (#x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD: fauxqs,
 * unlike AWS, also refuses #x10000 and above), so every case is actually sent.
 */
import { GENERATORS, OUT_OF_RANGE_BASE, type FuzzContext, type FuzzDraft, type FuzzGenerator } from './fuzz-cases.js';
import type { Rng } from './rng.js';

import type { FuzzCase } from './fuzz-cases.js';
export { FUZZ_OUTCOMES, type FuzzCase, type FuzzOutcome } from './fuzz-cases.js';

export type FuzzCorpus = {
  cases: FuzzCase[];
  /** The fuzz run: error-result cases produce its jobs 0 … jobs-1. */
  run: string;
  jobs: number;
};

export type FuzzCorpusOptions = {
  count: number;
  /** Run id of the fuzz run. */
  run: string;
  /** Another run's id (the main run), claimed by some malformed and some out-of-range bodies. */
  otherRun: string;
  /** Size of a huge body, in UTF-8 bytes; must leave room for the `faults-case` attribute. @default 1_046_000 */
  hugeBytes?: number;
  /** Most huge bodies in the corpus (at least one of each huge kind is always included). @default 1% of count */
  maxHuge?: number;
  /** The result queue a contract-valid body of a run names as `reply`. @default - none: results go to the shared finished queue */
  replyOf?: (run: string) => string | undefined;
};

/** Builds `count` cases: one of each kind first (if count allows), then weighted draws; huge ones capped. */
export function generateFuzzCorpus(rng: Rng, options: FuzzCorpusOptions): FuzzCorpus {
  const hugeBytes = options.hugeBytes ?? 1_046_000;
  const maxHuge = Math.max(GENERATORS.filter((g) => g.huge).length, options.maxHuge ?? Math.floor(options.count / 100));
  let nextId = 0;
  let outOfRange = 0;
  const ctx: FuzzContext = {
    rng,
    run: options.run,
    otherRun: options.otherRun,
    hugeBytes,
    nextId: () => nextId++,
    // Spread over the whole safe-integer range above the base, each id distinct.
    outOfRangeId: () => OUT_OF_RANGE_BASE + outOfRange++ * 7919 + (rng.chance(0.1) ? Number.MAX_SAFE_INTEGER - OUT_OF_RANGE_BASE - 10_000_000_000 : 0),
    reply: (run) => options.replyOf?.(run),
  };
  const totalWeight = GENERATORS.reduce((sum, g) => sum + g.weight, 0);
  const drafts: FuzzDraft[] = [];
  let huge = 0;
  const take = (generator: FuzzGenerator) => {
    if (generator.huge) huge++;
    drafts.push(generator.make(ctx));
  };
  if (options.count >= GENERATORS.length) for (const generator of GENERATORS) take(generator);
  while (drafts.length < options.count) {
    let roll = rng.next() * totalWeight;
    const generator = GENERATORS.find((g) => (roll -= g.weight) < 0) ?? GENERATORS[0]!;
    if (generator.huge && huge >= maxHuge) continue;
    take(generator);
  }
  // Shuffle, so kinds are interleaved on the queue and share batches with real jobs.
  for (let i = drafts.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [drafts[i], drafts[j]] = [drafts[j]!, drafts[i]!];
  }
  return { cases: drafts.map((draft, index) => ({ index, ...draft })), run: options.run, jobs: nextId };
}
