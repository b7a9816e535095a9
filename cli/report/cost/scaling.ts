/**
 * How fast Lambda's SQS event source works through a run, from AWS's documented scaling rates:
 * how many invocations run at once over time, and when the last one ends. Standard mode (with the
 * stack's `maxConcurrency`) and provisioned mode (with its pollers), each as documented:
 *
 * - Standard mode starts 5 concurrent invocations and adds up to 300 a minute while messages wait,
 *   up to 1,250 (services-sqs-scaling, "For standard queues, Lambda … starts processing five
 *   batches at a time with five concurrent invocations … increases … by up to 300 more concurrent
 *   invokes per minute. The maximum number of invokes that an event source mapping can process
 *   simultaneously is 1,250"), and never past its `MaximumConcurrency` (ScalingConfig, 2–1000).
 * - Provisioned mode keeps its minimum pollers ready and scales "up to 1000 concurrent executions
 *   per minute", to "up to 20,000 concurrency" (AWS News Blog and What's New, 2025-11-14). At the
 *   2,000 pollers CloudFormation allows (ProvisionedPollerConfig), that is 10 concurrent invocations
 *   per poller, the figure a poller's capacity is quoted at elsewhere; its minimum pollers thus start
 *   10 × minimum invocations at once.
 * - Either mode stops at the account's concurrency (1,000 by default per region, Lambda quotas) or
 *   at the function's reserved concurrency.
 *
 * The model: every message is waiting at the start (dispatch and cold starts not counted), an
 * invocation takes its share of the jobs at the sampled mean job time, and the limit grows linearly
 * between documented figures (AWS states rates, not their steps). An invocation stops starting jobs
 * when only its reserve is left (15 % of the timeout, 1–10 s, as functions/worker.ts does) and hands
 * the rest on as a new message: a chain of invocations, which Lambda's recursive loop detection cuts
 * after 16.
 */

/** Where each figure comes from. */
export const SCALING_SOURCES = {
  standard: 'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html',
  provisioned: 'https://aws.amazon.com/blogs/aws/aws-lambda-enhances-sqs-processing-with-new-provisioned-mode-3x-faster-scaling-16x-higher-capacity/',
  pollers: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventsourcemapping-provisionedpollerconfig.html',
  quotas: 'https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html',
  recursion: 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html',
} as const;

/** The documented figures the model runs on. */
export const SCALING = {
  standard: { initialConcurrency: 5, addedPerMinute: 300, maxConcurrency: 1250 },
  provisioned: { concurrencyPerPoller: 10, addedPerMinute: 1000, maxConcurrency: 20_000, defaultMinimumPollers: 2, defaultMaximumPollers: 200 },
  /** Concurrent executions per account and region, by default. */
  accountConcurrency: 1000,
  /** Invocations in one chain of continuations before Lambda stops it. */
  maxChain: 16,
} as const;

export type ScalingMode =
  | { kind: 'standard'; maxConcurrency: number }
  | { kind: 'provisioned'; minimumPollers: number; maximumPollers: number };

export type ScalingInput = {
  mode: ScalingMode;
  /** Invocations the run's messages make (messages ÷ batch size), before any continuation. */
  invocations: number;
  /** Run time of one such invocation's jobs, in ms. */
  invocationMs: number;
  /** The worker's timeout, in ms. */
  timeoutMs: number;
  /** @default SCALING.accountConcurrency */
  accountConcurrency?: number;
  /** The worker's reserved concurrency, if any. */
  reservedConcurrency?: number;
  /** Points of the ramp kept, about. @default 100 (Infinity: a point per change) */
  rampPoints?: number;
};

/** One point of the predicted ramp: invocations running from `atMs` on. */
export type ConcurrencyPoint = { atMs: number; concurrency: number };

export type ScalingPrediction = {
  mode: ScalingMode;
  /** When the last invocation ends, in ms from the first message's arrival. */
  wallMs: number;
  /** The limit at the start, its growth a minute, and where it stops (and why). */
  startConcurrency: number;
  addedPerMinute: number;
  capConcurrency: number;
  capBy: 'maxConcurrency' | 'event source' | 'pollers' | 'account' | 'reserved concurrency';
  /** When the limit reaches its cap, in ms. */
  capReachedAtMs: number;
  peakConcurrency: number;
  /** Invocations in all, continuations included, and the length of each message's chain. */
  invocations: number;
  chainLength: number;
  /** Running invocations over time, a step function: each point's level holds until the next (about 100 points). */
  ramp: ConcurrencyPoint[];
};

/** The reserve an invocation keeps at its end (functions/worker.ts): 15 % of its time, 1 to 10 s. */
export function reserveMs(timeoutMs: number): number {
  return Math.min(10_000, Math.max(1_000, timeoutMs * 0.15));
}

/** The limit's start, growth and cap in a mode, and what sets the cap. */
export function scalingLimits(input: Pick<ScalingInput, 'mode' | 'accountConcurrency' | 'reservedConcurrency'>) {
  const account = input.accountConcurrency ?? SCALING.accountConcurrency;
  const { mode } = input;
  const own =
    mode.kind === 'standard'
      ? { start: SCALING.standard.initialConcurrency, rate: SCALING.standard.addedPerMinute, ...smaller([mode.maxConcurrency, 'maxConcurrency'], [SCALING.standard.maxConcurrency, 'event source']) }
      : { start: mode.minimumPollers * SCALING.provisioned.concurrencyPerPoller, rate: SCALING.provisioned.addedPerMinute, ...smaller([mode.maximumPollers * SCALING.provisioned.concurrencyPerPoller, 'pollers'], [SCALING.provisioned.maxConcurrency, 'event source']) };
  const capped = smaller([own.cap, own.by], [account, 'account'], [input.reservedConcurrency ?? Number.POSITIVE_INFINITY, 'reserved concurrency']);
  return { start: Math.min(own.start, capped.cap), rate: own.rate, cap: capped.cap, capBy: capped.by };
}

function smaller(...limits: Array<[number, ScalingPrediction['capBy']]>): { cap: number; by: ScalingPrediction['capBy'] } {
  const [cap, by] = limits.reduce((a, b) => (b[0] < a[0] ? b : a));
  return { cap, by };
}

/** Simulates the run: invocations started as the limit allows, each chain's next link queued behind the others. */
export function predictScaling(input: ScalingInput): ScalingPrediction {
  const { start, rate, cap, capBy } = scalingLimits(input);
  const limitAt = (ms: number) => Math.min(cap, Math.floor(start + (rate * ms) / 60_000));
  const budget = Math.max(1, input.timeoutMs - reserveMs(input.timeoutMs));
  const chainLength = Math.max(1, Math.ceil(input.invocationMs / budget));
  // A chain's links: full budgets, then what is left (all one link when it fits).
  const links = (remaining: number) => Math.min(remaining, budget);
  const pending = new Queue<number>();
  for (let i = 0; i < input.invocations; i++) pending.push(input.invocationMs);
  const running = new EndHeap();
  const points: ConcurrencyPoint[] = [];
  let now = 0;
  let started = 0;
  let peak = 0;
  for (;;) {
    const limit = limitAt(now);
    while (running.size < limit && pending.size > 0) {
      const remaining = pending.shift()!;
      const ms = input.invocationMs === 0 ? 0 : links(remaining);
      running.push(now + ms, remaining - ms);
      started++;
    }
    peak = Math.max(peak, running.size);
    if (points.at(-1)?.concurrency !== running.size) points.push({ atMs: now, concurrency: running.size });
    if (running.size === 0) break;
    // The next event: an invocation ends, or (work waiting, no room) the limit grows by one.
    let next = running.peek();
    if (pending.size > 0 && limit < cap) next = Math.min(next, Math.ceil(((limit + 1 - start) * 60_000) / rate));
    now = next;
    while (running.size > 0 && running.peek() <= now) {
      const rest = running.pop();
      if (rest > 0) pending.push(rest);
    }
  }
  return {
    mode: input.mode,
    wallMs: now,
    startConcurrency: start,
    addedPerMinute: rate,
    capConcurrency: cap,
    capBy,
    capReachedAtMs: cap <= start ? 0 : Math.ceil(((cap - start) * 60_000) / rate),
    peakConcurrency: peak,
    invocations: started,
    chainLength,
    ramp: downsample(points, now, input.rampPoints ?? 100),
  };
}

/**
 * At most about `slices` points: the level at the start of each slice of the run's time, the moment
 * the peak is first reached, and the end. The full series has a point per change, which for a large
 * run is one per invocation.
 */
function downsample(points: ConcurrencyPoint[], endMs: number, slices: number): ConcurrencyPoint[] {
  if (points.length <= slices + 1 || endMs === 0) return points;
  const peak = points.reduce((a, b) => (b.concurrency > a.concurrency ? b : a));
  const out: ConcurrencyPoint[] = [];
  let i = 0;
  let level = 0;
  for (let slice = 0; slice <= slices; slice++) {
    const at = Math.round((slice * endMs) / slices);
    while (i < points.length && points[i]!.atMs <= at) level = points[i++]!.concurrency;
    if (peak.atMs < at && (out.at(-1)?.atMs ?? -1) < peak.atMs) out.push(peak);
    if (out.at(-1)?.concurrency !== level) out.push({ atMs: at, concurrency: level });
  }
  return out;
}

/** A FIFO queue with O(1) shift. */
class Queue<T> {
  #items: T[] = [];
  #head = 0;
  get size(): number {
    return this.#items.length - this.#head;
  }
  push(item: T): void {
    this.#items.push(item);
  }
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head++];
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}

/** Running invocations by end time (a binary min-heap), each with the work its chain has left. */
class EndHeap {
  #ends: number[] = [];
  #rests: number[] = [];
  get size(): number {
    return this.#ends.length;
  }
  peek(): number {
    return this.#ends[0]!;
  }
  push(end: number, rest: number): void {
    let i = this.#ends.length;
    this.#ends.push(end);
    this.#rests.push(rest);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.#ends[parent]! <= end) break;
      this.#swap(i, parent);
      i = parent;
    }
  }
  /** Removes the earliest end; returns its chain's remaining work. */
  pop(): number {
    const rest = this.#rests[0]!;
    const lastEnd = this.#ends.pop()!;
    const lastRest = this.#rests.pop()!;
    if (this.#ends.length > 0) {
      this.#ends[0] = lastEnd;
      this.#rests[0] = lastRest;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < this.#ends.length && this.#ends[l]! < this.#ends[smallest]!) smallest = l;
        if (r < this.#ends.length && this.#ends[r]! < this.#ends[smallest]!) smallest = r;
        if (smallest === i) break;
        this.#swap(i, smallest);
        i = smallest;
      }
    }
    return rest;
  }
  #swap(a: number, b: number): void {
    [this.#ends[a], this.#ends[b]] = [this.#ends[b]!, this.#ends[a]!];
    [this.#rests[a], this.#rests[b]] = [this.#rests[b]!, this.#rests[a]!];
  }
}
