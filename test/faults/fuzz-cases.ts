/**
 * The kinds of fuzz case: one generator per kind, each making a body and the outcome the
 * pipeline owes it (see fuzz-corpus.ts). Bodies that must keep an exact spelling (`__proto__`
 * keys, numbers like 1e300, escapes) are written as text, since JSON.stringify would normalise them.
 */
import { CONTRACT_VERSION, CONTRACT_VERSIONS } from '../../functions/wire/contract.js';
import { ERROR_LIMITS } from '../../functions/wire/errors.js';

/** A version no fanout reads (the contract reads every one in CONTRACT_VERSIONS). */
const UNKNOWN_VERSION = Math.max(...CONTRACT_VERSIONS) + 1;
import type { Rng } from './rng.js';

/** Out-of-range ids start here: far above any fuzz run's size. */
export const OUT_OF_RANGE_BASE = 1_000_000_000;

export type FuzzContext = {
  rng: Rng;
  run: string;
  otherRun: string;
  hugeBytes: number;
  /** The next in-range job id of the fuzz run. */
  nextId(): number;
  /** A fresh out-of-range id. */
  outOfRangeId(): number;
  /** The `reply` a contract-valid body of `run` names (that run's own result queue), if any. */
  reply(run: string): string | undefined;
};

export const FUZZ_OUTCOMES = ['dead-letter', 'error-result', 'dropped'] as const;
export type FuzzOutcome = (typeof FUZZ_OUTCOMES)[number];

export type FuzzCase = {
  /** Position in the corpus; sent as the `faults-case` message attribute. */
  index: number;
  /** What kind of damage, e.g. `not-json/truncated`. */
  category: string;
  body: string;
  expect: FuzzOutcome;
  /** The run the body claims, when it is readable. */
  run?: string;
  /** error-result: the fuzz run's job ids it must produce; dropped: the out-of-range ids. */
  ids: number[];
  /** error-result: the name every one of its results must carry. */
  errorName?: string;
  /** error-result: the message, when it is fully determined by the input. */
  errorMessage?: string;
};

export type FuzzDraft = Omit<FuzzCase, 'index'>;
/** One kind of case: its share of the corpus (weight), whether it is ~1 MiB, and how to make one. */
export type FuzzGenerator = { category: string; weight: number; huge?: boolean; make(ctx: FuzzContext): FuzzDraft };

const PALETTE = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'{}[]":,.-+eE\\/ _\'<>!?#$%&*()=;|~`@^',
  '\t', '\n', '\r', 'é', 'ß', '中', '文', 'Ж', '\u2028', '\u2029', '\uE000', '\uFFFD', '\u00A0', '\u200B',
];

function garbage(rng: Rng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += rng.pick(PALETTE);
  return text;
}

/** A string of about `bytes` UTF-8 bytes (ASCII, so chars = bytes), cheap to build. */
function hugeString(rng: Rng, bytes: number): string {
  const chunk = garbage(rng, 64).replace(/[^\x20-\x7e]/g, 'x').replace(/["\\]/g, 'q');
  return chunk.repeat(Math.ceil(bytes / chunk.length)).slice(0, bytes);
}

/** JSON with every surrogate and U+FFFE/U+FFFF written as a `\uXXXX` escape, so the text itself is SQS-safe. */
function escapedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\ud800-\udfff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A well-formed job message body as the contract defines it, with fields to override or delete. */
function envelope(fields: Record<string, unknown>, jobs: unknown = [{ id: 0, input: 0 }]): Record<string, unknown> {
  const message: Record<string, unknown> = { v: CONTRACT_VERSION, run: 'fuzz', task: 'square', jobs };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete message[key];
    else message[key] = value;
  }
  return message;
}

const malformed = (category: string, body: string, run?: string): FuzzDraft => ({ category, body, expect: 'dead-letter', ids: [], ...(run && { run }) });

/** A run id a malformed body claims: the fuzz run, the main run, or none that parses. */
const claimedRun = (ctx: FuzzContext) => ctx.rng.pick([ctx.run, ctx.otherRun, ctx.run]);

export const GENERATORS: FuzzGenerator[] = [
  // ---- not JSON ----
  { category: 'not-json/garbage', weight: 8, make: (ctx) => malformed('not-json/garbage', ` ${garbage(ctx.rng, ctx.rng.int(1, 300))}`) },
  {
    category: 'not-json/truncated',
    weight: 6,
    make: (ctx) => {
      const run = claimedRun(ctx);
      const full = JSON.stringify(envelope({ run, task: 'fail' }, [{ id: ctx.outOfRangeId(), input: 'truncated' }]));
      return malformed('not-json/truncated', full.slice(0, ctx.rng.int(1, full.length - 1)), run);
    },
  },
  {
    category: 'not-json/syntax',
    weight: 5,
    make: (ctx) => {
      const run = claimedRun(ctx);
      const valid = JSON.stringify(envelope({ run, task: 'fail' }, [{ id: ctx.outOfRangeId(), input: 'x' }]));
      const body = ctx.rng.pick([
        `{v:1,run:${JSON.stringify(run)},task:"square",jobs:[{id:0,input:1}]}`,
        valid.replaceAll('"', "'"),
        `${valid},`,
        `${valid}}`,
        `${valid} trailing`,
        `\uFEFF${valid}`,
        `// comment\n${valid}`,
        valid.replace('"input":"x"', '"input":NaN'),
        valid.replace('"input":"x"', '"input":Infinity'),
        valid.replace('"input":"x"', '"input":undefined'),
        valid.replace('"input":"x"', '"input":0x10'),
        valid.replace('"input":"x"', '"input":"\\x41"'),
        valid.replace('"input":"x"', '"input":"unterminated'),
        'undefined',
        'NaN',
        '<job id="0"/>',
        '\t\n ',
      ]);
      return malformed('not-json/syntax', body, run);
    },
  },
  // ---- JSON, but not an object ----
  {
    category: 'json/not-an-object',
    weight: 4,
    make: (ctx) =>
      malformed(
        'json/not-an-object',
        ctx.rng.pick(['null', '0', '-1', '1e400', '"job"', 'true', 'false', '[]', '[[]]', '{}', JSON.stringify([envelope({ run: ctx.run })]), JSON.stringify(JSON.stringify(envelope({ run: ctx.run })))]),
      ),
  },
  // ---- wrong types ----
  {
    category: 'wrong-type',
    weight: 10,
    make: (ctx) => {
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      const id = ctx.outOfRangeId();
      const { rng } = ctx;
      const variants: Array<() => Record<string, unknown>> = [
        () => envelope({ run, v: rng.pick(['1', true, null, [1], { v: 1 }]) }, [{ id, input: 1 }]),
        () => envelope({ run: rng.pick([123, null, [], {}, true, ['r']]) }, [{ id, input: 1 }]),
        () => envelope({ run, task: rng.pick([42, null, ['square'], { name: 'square' }, true]) }, [{ id, input: 1 }]),
        () => envelope({ run, jobs: rng.pick([{}, '[]', null, 7, [1], [null], ['x'], [[id, 1]], { 0: { id, input: 1 } }]) }),
        () => envelope({ run }, [{ id: rng.pick([`${id}`, null, true, [id], { id }]), input: 1 }]),
        () => envelope({ run }, rng.pick([[{ id, input: 1 }, 'x'], [{ id, input: 1 }, null], [{ id, input: 1 }, { id: 'y', input: 1 }]])),
      ];
      return malformed('wrong-type', JSON.stringify(rng.pick(variants)()), run);
    },
  },
  // ---- missing fields ----
  {
    category: 'missing-field',
    weight: 8,
    make: (ctx) => {
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      const id = ctx.outOfRangeId();
      const variant = ctx.rng.int(0, 6);
      const message =
        variant < 4
          ? envelope({ run, [['v', 'run', 'task', 'jobs'][variant]!]: undefined }, [{ id, input: 1 }])
          : variant === 4
            ? envelope({ run }, [{ input: 1 }])
            : variant === 5
              ? envelope({ run }, [{ id }])
              : envelope({ run }, []);
      return malformed('missing-field', JSON.stringify(message), variant === 1 ? undefined : run);
    },
  },
  // ---- unknown versions ----
  {
    category: 'unknown-version',
    weight: 6,
    make: (ctx) => {
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      const v = ctx.rng.pick([0, UNKNOWN_VERSION, UNKNOWN_VERSION + 1, -1, 1.5, 99, 2 ** 31, Number.MAX_SAFE_INTEGER]);
      return malformed('unknown-version', JSON.stringify(envelope({ run, v, task: 'fail' }, [{ id: ctx.outOfRangeId(), input: `version ${v}` }])), run);
    },
  },
  // ---- __proto__ and other object-machinery keys, and extra keys ----
  {
    category: 'proto-key',
    weight: 6,
    make: (ctx) => {
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      // Every variant breaks the contract: the schemas are strict, and none may read through a prototype.
      const inner = JSON.stringify(envelope({ run }, [{ id: ctx.outOfRangeId(), input: 1 }]));
      const body = ctx.rng.pick([
        // Written as text: JSON.stringify would not emit an own "__proto__" key.
        `{"__proto__":{"polluted":true},${inner.slice(1)}`,
        `{"__proto__":${inner}}`,
        `{"constructor":{"prototype":{"polluted":true}},${inner.slice(1)}`,
        `{"prototype":1,${inner.slice(1)}`,
        inner.replace('{"id":', '{"__proto__":{"input":2},"id":'),
        `${inner.slice(0, -1).replace('"jobs":[', '"jobs":{"__proto__":[')}}}`,
        `{"extra":1,${inner.slice(1)}`,
        inner.replace('"input":1', '"input":1,"extra":true'),
        // A repeated key: JSON.parse keeps the last, a version no fanout reads.
        `{"v":${CONTRACT_VERSION},"v":${UNKNOWN_VERSION},${inner.slice(1).replace(`"v":${CONTRACT_VERSION},`, '')}`,
      ]);
      return malformed('proto-key', body);
    },
  },
  // ---- bad run, task and job ids ----
  {
    category: 'bad-run-id',
    weight: 3,
    make: (ctx) => malformed('bad-run-id', JSON.stringify(envelope({ run: ctx.rng.pick(['', 'has space', 'r'.repeat(65), 'ünï', '../etc', 'r/1', 'r\n1']) }))),
  },
  {
    category: 'bad-task-name',
    weight: 3,
    make: (ctx) => {
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      const task = ctx.rng.pick(['Square', '', 't'.repeat(65), '9lives', 'task name', '-x', '__proto__', 'fail\u0000', 'Fail']);
      return malformed('bad-task-name', JSON.stringify(envelope({ run, task }, [{ id: ctx.outOfRangeId(), input: 1 }])), run);
    },
  },
  {
    category: 'bad-job-id',
    weight: 4,
    make: (ctx) => {
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      const id = ctx.rng.pick(['-1', '1.5', '9007199254740992', '1e300', '-0.5', '1e-7']);
      // Written as text, so the number reaches the worker exactly as spelled.
      return malformed('bad-job-id', JSON.stringify(envelope({ run, task: 'fail' }, [{ id: 0, input: 'bad id' }])).replace('"id":0', `"id":${id}`), run);
    },
  },
  // ---- deep nesting: JSON.parse copes, the schema's recursion does not ----
  {
    category: 'deep-nesting',
    weight: 1,
    make: (ctx) => {
      const depth = ctx.rng.int(20_000, 100_000);
      const nested = '['.repeat(depth) + ']'.repeat(depth);
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      const body = ctx.rng.chance(0.5) ? nested : JSON.stringify(envelope({ run, task: 'fail' }, [{ id: ctx.outOfRangeId(), input: 0 }])).replace('"input":0', `"input":${nested}`);
      return malformed('deep-nesting', body, body.startsWith('[') ? undefined : run);
    },
  },
  // ---- huge malformed bodies ----
  { category: 'huge/garbage', weight: 1, huge: true, make: (ctx) => malformed('huge/garbage', hugeString(ctx.rng, ctx.hugeBytes)) },
  {
    category: 'huge/invalid',
    weight: 1,
    huge: true,
    make: (ctx) => {
      const run = ctx.rng.pick([ctx.run, ctx.otherRun]);
      const skeleton = JSON.stringify(envelope({ run, v: UNKNOWN_VERSION, task: 'fail' }, [{ id: ctx.outOfRangeId(), input: '' }]));
      const input = hugeString(ctx.rng, ctx.hugeBytes - skeleton.length);
      // A function, not a string: the input may hold `$'` or `$&`, which a replacement string expands.
      return malformed('huge/invalid', skeleton.replace('"input":""', () => `"input":"${input}"`), run);
    },
  },
  // ---- contract-valid, must become error results ----
  {
    category: 'valid/unknown-task',
    weight: 6,
    make: (ctx) => {
      const task = ctx.rng.pick(['no-such-task', 'squares', 'fail2', 'constructor', 'tostring', 'valueof', 'hasownproperty', 'isprototypeof', 'x', `t-${ctx.rng.int(0, 1e6)}`]);
      const jobs = Array.from({ length: ctx.rng.int(1, 3) }, () => ({ id: ctx.nextId(), input: ctx.rng.int(0, 100) }));
      return { category: 'valid/unknown-task', body: JSON.stringify(envelope({ run: ctx.run, task, reply: ctx.reply(ctx.run) }, jobs)), expect: 'error-result', run: ctx.run, ids: jobs.map((j) => j.id), errorName: 'UnknownTaskError' };
    },
  },
  {
    category: 'valid/wrong-input',
    weight: 6,
    make: (ctx) => {
      const [task, input] = ctx.rng.pick<[string, unknown]>([
        ['square', '7'],
        ['square', null],
        ['square', []],
        ['square', {}],
        ['square', true],
        ['square', 'NaN'],
        ['sleep', -1],
        ['sleep', '5'],
        ['sleep', 10_000_000],
        ['sleep', null],
        ['burn', -5],
        ['burn', 'x'],
        ['burn', 900_001],
      ]);
      const id = ctx.nextId();
      return { category: 'valid/wrong-input', body: JSON.stringify(envelope({ run: ctx.run, task, reply: ctx.reply(ctx.run) }, [{ id, input }])), expect: 'error-result', run: ctx.run, ids: [id], errorName: 'TypeError' };
    },
  },
  {
    category: 'valid/throwing',
    weight: 6,
    make: (ctx) => {
      const lone = ctx.rng.chance(0.2);
      const message = lone ? '\ud800 lone surrogate \udfff' : garbage(ctx.rng, ctx.rng.int(0, 80));
      const id = ctx.nextId();
      // The run store keeps error texts exactly, lone surrogates included.
      return { category: 'valid/throwing', body: JSON.stringify(envelope({ run: ctx.run, task: 'fail', reply: ctx.reply(ctx.run) }, [{ id, input: message }])), expect: 'error-result', run: ctx.run, ids: [id], errorName: 'Error', errorMessage: message };
    },
  },
  {
    // Characters a body cannot carry raw (U+FFFE/U+FFFF on any SQS; astral ones on fauxqs) but JSON can
    // carry escaped: the job message is pure ASCII, and the error result must get through as well.
    category: 'valid/unsendable-char',
    weight: 2,
    make: (ctx) => {
      const id = ctx.nextId();
      const message = `${ctx.rng.pick(['\uffff', '\ufffe', '\ud83d\ude00', 'x\uffffy\ufffe'])} in ${garbage(ctx.rng, ctx.rng.int(0, 20))}`;
      return { category: 'valid/unsendable-char', body: escapedJson(envelope({ run: ctx.run, task: 'fail', reply: ctx.reply(ctx.run) }, [{ id, input: message }])), expect: 'error-result', run: ctx.run, ids: [id], errorName: 'Error', errorMessage: message };
    },
  },
  {
    category: 'valid/proto-input',
    weight: 4,
    make: (ctx) => {
      const id = ctx.nextId();
      // Each would return ok if anything read `fail: false` through a polluted prototype.
      const input = ctx.rng.pick([
        '{"__proto__":{"fail":false,"value":"polluted"}}',
        '{"constructor":{"prototype":{"fail":false}}}',
        '{"a":{"__proto__":{"fail":false}}}',
        '{"fail":"false","value":1}',
        '{"fail":0,"value":1}',
      ]);
      const body = JSON.stringify(envelope({ run: ctx.run, task: 'fail', reply: ctx.reply(ctx.run) }, [{ id, input: 0 }])).replace('"input":0', `"input":${input}`);
      return { category: 'valid/proto-input', body, expect: 'error-result', run: ctx.run, ids: [id], errorName: 'Error' };
    },
  },
  {
    category: 'valid/deep-input',
    weight: 1,
    make: (ctx) => {
      const id = ctx.nextId();
      // Inside the contract's MAX_JSON_DEPTH (256) with the envelope's three levels around it.
      const depth = ctx.rng.int(10, 250);
      const body = JSON.stringify(envelope({ run: ctx.run, task: 'fail', reply: ctx.reply(ctx.run) }, [{ id, input: 0 }])).replace('"input":0', `"input":${'['.repeat(depth)}${']'.repeat(depth)}`);
      return { category: 'valid/deep-input', body, expect: 'error-result', run: ctx.run, ids: [id], errorName: 'Error' };
    },
  },
  {
    // A ~1 MiB input that `fail` throws back: the error result carries it clipped to ERROR_LIMITS.message.
    category: 'huge/valid-input',
    weight: 1,
    huge: true,
    make: (ctx) => {
      const id = ctx.nextId();
      const skeleton = JSON.stringify(envelope({ run: ctx.run, task: 'fail', reply: ctx.reply(ctx.run) }, [{ id, input: '' }]));
      const input = hugeString(ctx.rng, ctx.hugeBytes - skeleton.length);
      const body = skeleton.replace('"input":""', () => `"input":"${input}"`);
      const errorMessage = input.length > ERROR_LIMITS.message ? `${input.slice(0, ERROR_LIMITS.message - 1)}…` : input;
      return { category: 'huge/valid-input', body, expect: 'error-result', run: ctx.run, ids: [id], errorName: 'Error', errorMessage };
    },
  },
  {
    // Numbers grow on the way back: `1e9` (3 bytes) in the body is 1000000000 (10) in the output, so
    // `fail` returning the array makes a result larger than any message: it must be replaced by an
    // OversizeError result.
    category: 'huge/oversize-result',
    weight: 1,
    huge: true,
    make: (ctx) => {
      const id = ctx.nextId();
      const value = `[${Array(Math.floor(ctx.hugeBytes / 8)).fill('1e9').join(',')}]`;
      const body = JSON.stringify(envelope({ run: ctx.run, task: 'fail', reply: ctx.reply(ctx.run) }, [{ id, input: 0 }])).replace('"input":0', `"input":{"fail":false,"value":${value}}`);
      return { category: 'huge/oversize-result', body, expect: 'error-result', run: ctx.run, ids: [id], errorName: 'OversizeError' };
    },
  },
  // ---- contract-valid, job id outside its run ----
  {
    category: 'valid/id-out-of-range',
    weight: 5,
    make: (ctx) => {
      const run = ctx.rng.chance(0.8) ? ctx.run : ctx.otherRun;
      const id = ctx.outOfRangeId();
      return { category: 'valid/id-out-of-range', body: JSON.stringify(envelope({ run, task: 'fail', reply: ctx.reply(run) }, [{ id, input: 'out of range' }])), expect: 'dropped', run, ids: [id] };
    },
  },
];
