/**
 * Seeded randomness for the fault-injection suite: every choice the suite makes up front (which
 * jobs throw, the fuzz corpus, when to kill whom) comes from one seed, so a failing run can be
 * replayed with `--seed`. mulberry32: 32 bits of state, fast, and good enough for test plans.
 */

export type Rng = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A new generator drawn from this one, so that adding draws to one part of the plan does not shift another. */
  fork(): Rng;
};

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('cannot pick from an empty list');
      return items[Math.floor(next() * items.length)]!;
    },
    fork: () => mulberry32(Math.floor(next() * 4_294_967_296)),
  };
  return rng;
}

/** A fresh seed for a run that was not given one: printed, so the run can be replayed. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 4_294_967_296) >>> 0;
}

/** Parses a `--seed` value: a 32-bit unsigned integer. */
export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffff_ffff) {
    throw new RangeError(`--seed must be an integer from 0 to 4294967295 (given ${JSON.stringify(value)})`);
  }
  return seed;
}

/** `count` distinct integers from 0 … n-1, in random order. */
export function chooseDistinct(rng: Rng, n: number, count: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, n)) chosen.add(rng.int(0, n - 1));
  return [...chosen];
}
