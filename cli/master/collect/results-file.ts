/**
 * The run's results, one JSON line per job, appended as they arrive. It is also the collector's
 * memory: a restarted collect reads it back and goes on from there, so nothing is doubled.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Result } from '../../../functions/wire/contract.js';

export type ResultsFileSummary = { ok: number; failed: number };

export class ResultsFile {
  private constructor(
    readonly path: string,
    private readonly handle: FileHandle,
  ) {}

  /**
   * Opens (creating) the file for appending, after feeding every complete line already in it to
   * `onExisting`. A torn last line (the collector died mid-write) is cut off: its message was
   * never deleted, so it will be received again.
   */
  static async open(path: string, onExisting: (result: Result) => void): Promise<ResultsFile> {
    await mkdir(dirname(path), { recursive: true });
    const { size, complete } = await readComplete(path, onExisting);
    if (complete < size) await truncate(path, complete);
    const handle = await open(path, 'a');
    // A last line whole but for its newline: finish it, so the next append starts a new line.
    if (complete > size) await handle.write('\n');
    return new ResultsFile(path, handle);
  }

  /** Appends results; resolves once the OS has them (they survive the process being killed). */
  async append(results: readonly Result[]): Promise<void> {
    if (results.length === 0) return;
    await this.handle.write(results.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Reads whole lines; `complete` is the byte length they take, newline included. */
async function readComplete(path: string, onLine: (result: Result) => void): Promise<{ size: number; complete: number }> {
  const size = await stat(path).then((s) => s.size, () => 0);
  if (size === 0) return { size, complete: 0 };
  let good = 0;
  let torn = false;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const line of lines) {
    if (torn) break;
    try {
      onLine(JSON.parse(line) as Result);
      good += Buffer.byteLength(line) + 1;
    } catch {
      torn = true;
    }
  }
  return { size, complete: good };
}
