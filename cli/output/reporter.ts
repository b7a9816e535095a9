/**
 * How the master shows its work: a progress bar on a terminal, a plain line every few seconds
 * otherwise, or JSON lines on stdout with `--json` (for programs). Decoration goes to stderr so
 * stdout carries only data.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { MasterEmitter } from '../master/events.js';

export type OutputMode = 'tty' | 'plain' | 'json';

export function outputMode(json: boolean | undefined, stream: NodeJS.WriteStream = process.stderr): OutputMode {
  if (json) return 'json';
  return stream.isTTY ? 'tty' : 'plain';
}

/** One JSON object per line on stdout. */
export function jsonLine(event: string, fields: object): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

/** A line for people, on stderr. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/**
 * Shows collect's progress towards `total` results, starting from `done` (a resumed run).
 * Returns a function that ends the display.
 */
export function showProgress(events: MasterEmitter, mode: OutputMode, label: string, total: number, done = 0): () => void {
  let count = done;
  const warn = ({ message }: { message: string }) => (mode === 'json' ? jsonLine('warning', { message }) : note(`warning: ${message}`));
  const malformed = ({ messageId, reason }: { messageId: string; reason: string }) =>
    mode === 'json' ? jsonLine('malformed', { messageId, reason }) : note(`warning: malformed result message ${messageId} left on the queue: ${reason}`);
  events.on('warning', warn);
  events.on('malformed', malformed);

  if (mode === 'tty') {
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {percentage}% | {duration_formatted} | eta {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    bar.start(total, done);
    const onResult = () => bar.update(++count);
    events.on('result', onResult);
    return () => {
      events.off('result', onResult);
      bar.stop();
    };
  }
  if (mode === 'plain') {
    const onResult = () => count++;
    events.on('result', onResult);
    const timer = setInterval(() => note(`${label}: ${count}/${total}`), 2000);
    timer.unref();
    return () => {
      clearInterval(timer);
      events.off('result', onResult);
    };
  }
  const onResult = ({ run, result }: { run: string; result: object }) => jsonLine('result', { run, ...result });
  events.on('result', onResult);
  return () => events.off('result', onResult);
}
