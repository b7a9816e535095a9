/**
 * Runs the benchmark several times, each in a fresh process, and reports the medians:
 * `npx tsx bench/repeat.ts [--runs 5] -- --jobs 100000 [bench flags…]`.
 *
 * Prints one line per run and a median line on stderr; the last stdout line is one JSON object
 * `{ runs, args, median: {…numeric fields…}, min, max, each: [BenchResult…] }`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchResult } from './result.js';

const run = promisify(execFile);
const RUN_TS = fileURLToPath(new URL('./run.ts', import.meta.url));

/** The fields summarised; requests are taken from the median run by total_s. */
const FIELDS = ['dispatch_s', 'collect_s', 'total_s', 'jobs_per_s', 'requests_total', 'requests_per_1k_jobs', 'cpu_s', 'per_job_us', 'peak_rss_mb', 'peak_rss_parent_mb', 'startup_ms', 'report_mb'] as const;
type Field = (typeof FIELDS)[number];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const split = argv.indexOf('--');
  const own = split === -1 ? [] : argv.slice(0, split);
  const benchArgs = split === -1 ? argv : argv.slice(split + 1);
  const runsAt = own.indexOf('--runs');
  const runs = runsAt === -1 ? 5 : Number(own[runsAt + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number (given ${own[runsAt + 1]})`);

  const each: BenchResult[] = [];
  for (let i = 0; i < runs; i++) {
    // As `npm run bench` (and `npm start`) run: the young generation capped (docs/performance.md, memory).
    const { stdout } = await run(process.execPath, ['--max-semi-space-size=16', '--import', 'tsx', RUN_TS, ...benchArgs, '--json'], { maxBuffer: 64 << 20 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as BenchResult;
    if (!result.complete) throw new Error(`run ${i + 1} incomplete: ${stdout}`);
    each.push(result);
    process.stderr.write(`run ${i + 1}/${runs}: ${line(result)}\n`);
  }
  const stat = (fn: (values: number[]) => number) =>
    Object.fromEntries(
      FIELDS.map((field: Field) => {
        const values = each.map((r) => r[field]).filter((v): v is number => v !== null);
        return [field, values.length ? Math.round(fn(values) * 1000) / 1000 : null];
      }),
    ) as Record<Field, number>;
  const med = stat(median);
  const byTotal = [...each].sort((a, b) => a.total_s - b.total_s)[(each.length - 1) >> 1]!;
  process.stderr.write(`median of ${runs}: dispatch ${med.dispatch_s} s, collect ${med.collect_s} s, total ${med.total_s} s, ${med.jobs_per_s} jobs/s, CPU ${med.cpu_s} s (${med.per_job_us} µs/job), ${med.requests_per_1k_jobs} req/1k jobs, peak RSS ${med.peak_rss_mb} MB, startup ${med.startup_ms} ms\n`);
  const summary = {
    runs,
    args: benchArgs,
    median: { ...med, requests: byTotal.requests },
    min: stat((v) => Math.min(...v)),
    max: stat((v) => Math.max(...v)),
    each,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

function line(r: BenchResult): string {
  return `dispatch ${r.dispatch_s} s, collect ${r.collect_s} s, total ${r.total_s} s, ${r.jobs_per_s} jobs/s, CPU ${r.cpu_s} s (${r.per_job_us} µs/job), ${r.requests_total} requests (${r.requests_per_1k_jobs}/1k), peak RSS ${r.peak_rss_mb} MB`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench/repeat: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
