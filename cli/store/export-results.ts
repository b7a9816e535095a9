/**
 * A run's results out of the store, as JSON lines, CSV or one JSON document. Each record names
 * its run and job. A file is written beside its destination and renamed into place, so a reader
 * never sees half an export; an existing file is replaced only if it is an earlier export of the
 * same run, or with `force` — never an unrelated file, never another run's results.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { UsageError } from '../../functions/wire/errors.js';
import type { RunStore } from './run-store.js';
import type { StoredResult } from './types.js';

export const EXPORT_FORMATS = ['jsonl', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CSV_COLUMNS = ['run', 'job', 'ok', 'output', 'error_name', 'error_message', 'started', 'ms', 'worker', 'attempt'] as const;

/** One exported record: the result with its run and job named. */
export function exportRecord(run: string, result: StoredResult): Record<string, unknown> {
  return {
    run,
    job: result.id,
    ok: result.ok,
    ...(result.ok ? { output: result.output } : { error: result.error }),
    ...(result.started !== undefined && { started: result.started }),
    ms: result.ms,
    ...(result.worker !== undefined && { worker: result.worker }),
    ...(result.attempt !== undefined && { attempt: result.attempt }),
  };
}

/** The export's text, chunk by chunk: memory stays flat however many results the run has. */
export function* exportChunks(store: RunStore, run: string, format: ExportFormat): Generator<string> {
  if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\n`;
  if (format === 'json') yield `{"run":${JSON.stringify(run)},"results":[`;
  let first = true;
  for (const result of store.results(run)) {
    if (format === 'jsonl') yield `${JSON.stringify(exportRecord(run, result))}\n`;
    else if (format === 'json') yield `${first ? '\n' : ',\n'}${JSON.stringify(exportRecord(run, result))}`;
    else yield `${csvRow(run, result)}\n`;
    first = false;
  }
  if (format === 'json') yield '\n]}\n';
}

function csvRow(run: string, r: StoredResult): string {
  const cells = [run, r.id, r.ok, r.ok ? JSON.stringify(r.output) : '', r.ok ? '' : r.error.name, r.ok ? '' : r.error.message, r.started ?? '', r.ms, r.worker ?? '', r.attempt ?? ''];
  return cells.map((cell) => csvCell(String(cell))).join(',');
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export type ExportOptions = { format: ExportFormat; path: string; force?: boolean };

/** Writes the run's results to `path`; resolves to how many were written. */
export async function exportResults(store: RunStore, run: string, options: ExportOptions): Promise<number> {
  const { path, format } = options;
  if (!options.force) await refuseForeign(path, run, format);
  const temporary = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(temporary, { mode: 0o644 });
  try {
    for (const chunk of exportChunks(store, run, format)) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'finish');
    await rename(temporary, path);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw code ? new UsageError(`cannot write ${path}: ${code}`, { cause: error }) : error;
  }
  return store.requireRun(run).counts.done;
}

/** Throws unless `path` is absent or an earlier export of `run` in `format`. */
async function refuseForeign(path: string, run: string, format: ExportFormat): Promise<void> {
  let head: string;
  try {
    const file = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(65_536);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new UsageError(`cannot replace ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  if (!isExportOf(head, run, format)) {
    throw new UsageError(`${path} exists and is not an earlier ${format} export of run ${run}: choose another --out, or pass --force to replace it`);
  }
}

function isExportOf(head: string, run: string, format: ExportFormat): boolean {
  if (head === '') return true;
  const lines = head.split('\n');
  if (format === 'json') return head.startsWith(`{"run":${JSON.stringify(run)},"results":[`);
  if (format === 'csv') return lines[0] === CSV_COLUMNS.join(',') && (lines[1] === undefined || lines[1] === '' || lines[1].startsWith(`${csvCell(run)},`));
  try {
    return (JSON.parse(lines[0] ?? '') as { run?: unknown }).run === run;
  } catch {
    return false;
  }
}
