/**
 * How the master shows its work: a progress bar on a terminal, a plain line every few seconds
 * otherwise, or JSON lines on stdout with `--json` (for programs). Decoration goes to stderr so
 * stdout carries only data.
 */
import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import type { MasterEmitter } from '../master/events.js';

/** cli-progress, loaded when a bar is shown (a terminal): runs for programs and pipes never load it. */
function cliProgress(): typeof CliProgress {
  return createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
}

export type OutputMode = 'tty' | 'plain' | 'json';

export function outputMode(json: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): OutputMode {
  if (json) return 'json';
  return stream.isTTY ? 'tty' : 'plain';
}

/** One JSON object per line on stdout. */
export function jsonLine(event: string, fields: object): void {
  flushLines();
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

/** Lines held until the end of the current task, then written as one. */
let heldLines: string[] = [];
let flushing = false;

function flushLines(): void {
  if (heldLines.length === 0) return;
  const text = heldLines.join('');
  heldLines = [];
  process.stdout.write(text);
}

/**
 * A JSON line among many written at once (a batch's results): held until the current task ends
 * and written with the others in one write, before any other line. One write per batch instead of
 * one per result: a thousandth of the writes, and no small buffer each while a pipe is busy.
 */
export function jsonLineInBatch(event: string, fields: object): void {
  heldLines.push(`${JSON.stringify({ event, ...fields })}\n`);
  if (flushing) return;
  flushing = true;
  queueMicrotask(() => {
    flushing = false;
    flushLines();
  });
}

/** This process's peak memory so far, in MiB: in `--json` summaries, so a program can watch it. */
export function peakRssMb(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

/** A line for people, on stderr. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** A warning: a line for people, or a `warning` JSON line. */
export function warn(mode: OutputMode, message: string): void {
  if (mode === 'json') jsonLine('warning', { message });
  else note(`warning: ${message}`);
}

export type ProgressOptions = {
  label: string;
  /** Results expected, when known. */
  total: () => number | undefined;
  /** Results already stored when the display starts (a resumed collect). */
  done: number;
};

/** Seconds without a result after which the ETA is withheld: a rate from before a stall says nothing. */
const STALLED_S = 5;

/**
 * Shows collect's progress and its warnings (JSON result lines in json mode). Returns a
 * function that ends the display.
 */
export function showProgress(events: MasterEmitter, mode: OutputMode, options: ProgressOptions): () => void {
  let count = options.done;
  const onWarning = ({ message }: { message: string }) => warn(mode, message);
  const onMalformed = ({ messageId, reason }: { messageId: string; reason: string }) =>
    mode === 'json' ? jsonLine('malformed', { messageId, reason }) : note(`warning: malformed result message ${messageId} kept in quarantine: ${reason}`);
  events.on('warning', onWarning);
  events.on('malformed', onMalformed);
  const detach = () => {
    events.off('warning', onWarning);
    events.off('malformed', onMalformed);
  };

  if (mode === 'json') {
    const onResult = ({ run, result }: { run: string; result: object }) => jsonLineInBatch('result', { run, ...result });
    events.on('result', onResult);
    return () => {
      detach();
      events.off('result', onResult);
    };
  }

  const started = Date.now();
  let lastResultAt = started;
  const firstCount = count;
  const onResult = () => {
    count++;
    lastResultAt = Date.now();
  };
  events.on('result', onResult);
  const eta = (): string => {
    const total = options.total();
    const now = Date.now();
    if (total === undefined || count === firstCount || now - lastResultAt > STALLED_S * 1000) return '—';
    const rate = (count - firstCount) / ((lastResultAt - started) / 1000 || 0.001);
    return `${Math.max(0, Math.ceil((total - count) / rate))}s`;
  };

  if (mode === 'tty') {
    const { SingleBar, Presets } = cliProgress();
    const bar = new SingleBar(
      { format: `${options.label} [{bar}] {value}/{total} {percentage}% | {duration_formatted} | eta {honestEta}`, stream: process.stderr, hideCursor: true, etaBuffer: 50 },
      Presets.shades_classic,
    );
    bar.start(options.total() ?? count, count, { honestEta: '—' });
    const timer = setInterval(() => {
      const total = options.total();
      if (total !== undefined) bar.setTotal(total);
      bar.update(count, { honestEta: eta() });
    }, 200);
    timer.unref();
    return () => {
      clearInterval(timer);
      bar.update(count, { honestEta: '0s' });
      bar.stop();
      detach();
      events.off('result', onResult);
    };
  }
  let shown = -1;
  const timer = setInterval(() => {
    if (count === shown) return;
    shown = count;
    note(`${options.label}: ${count}/${options.total() ?? '?'}`);
  }, 2000);
  timer.unref();
  return () => {
    clearInterval(timer);
    detach();
    events.off('result', onResult);
  };
}
