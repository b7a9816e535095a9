/**
 * Job inputs as a stream: `--count N` (inputs 0 … N-1, the original's square jobs), a JSONL file
 * or standard input (one JSON value per line; blank lines skipped), or values from a program.
 * Read one at a time, so memory does not grow with the number of jobs, and read exactly: a value
 * JSON.parse would round or lose (2^53 + 1, 1e309, -0) is refused with its line number.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Json } from '../../../functions/wire/contract.js';
import { ContractError, UsageError } from '../../../functions/wire/errors.js';
import { jsonProblem, parseExactJson } from '../../../functions/wire/json.js';
import type { InputsSpec } from '../../store/types.js';

export type InputsSource =
  | { kind: 'count'; count: number }
  /** A JSONL file; `-` is standard input. `once`: a pipe, FIFO or device (`--inputs <(…)`), read a single time like stdin. */
  | { kind: 'file'; path: string; once?: boolean }
  | { kind: 'values'; values: Iterable<unknown> | AsyncIterable<unknown> };

/** One input and where it came from: its line in a file, its index otherwise. */
export type Input = { value: Json; where: string };

/** Inputs are handed out in batches of this many: a stream of millions costs few async steps. */
export const INPUT_BATCH = 1024;

/** True if the inputs can be read twice: checked whole before anything is sent, and read again by --resume. */
export function isRereadable(source: InputsSource): boolean {
  return source.kind === 'count' || (source.kind === 'file' && source.path !== '-' && !source.once) || (source.kind === 'values' && Array.isArray(source.values));
}

/**
 * The source, with a file that is not a regular file (a FIFO, `<(…)`'s /dev/fd/N, a device)
 * marked to be read once: such a file gives its lines to one reader only, so checking it whole
 * first, or hashing it, would eat the inputs (or wait forever on a FIFO nobody writes again).
 */
export async function settleSource(source: InputsSource): Promise<InputsSource> {
  if (source.kind !== 'file' || source.path === '-' || source.once) return source;
  const info = await stat(source.path).catch(() => undefined);
  return info && !info.isFile() && !info.isDirectory() ? { ...source, once: true } : source;
}

/** What the store keeps of a source: enough to read a file again and to notice it changed. */
export async function describeSource(source: InputsSource): Promise<InputsSpec> {
  if (source.kind === 'count') return { kind: 'count', count: source.count };
  if (source.kind === 'values') return { kind: 'values' };
  if (source.path === '-') return { kind: 'stdin' };
  if (source.once) return { kind: 'pipe', path: source.path };
  return { kind: 'file', path: source.path, ...(await fingerprint(source.path)) };
}

/** Size and SHA-256 of a file, so a resumed dispatch knows it reads the same inputs. */
export async function fingerprint(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    return { bytes: (await stat(path)).size, sha256: hash.digest('hex') };
  } catch (error) {
    throw cannotRead(path, error);
  }
}

/** The inputs, from the `skip`-th on, each as soon as its source gives it (a stream is not held back to fill a batch). */
export async function* readInputs(source: InputsSource, skip = 0): AsyncGenerator<Input> {
  if (source.kind === 'file') {
    yield* readJsonl(source.path, skip);
    return;
  }
  if (source.kind === 'values' && !Array.isArray(source.values)) {
    let i = 0;
    for await (const value of source.values as AsyncIterable<unknown>) {
      if (i++ < skip) continue;
      const problem = jsonProblem(value, `input ${i - 1}`);
      if (problem) throw new UsageError(problem);
      yield { value: value as Json, where: 'input' };
    }
    return;
  }
  for await (const batch of readInputBatches(source, skip)) yield* batch;
}

/** The inputs, from the `skip`-th on, a batch at a time (see INPUT_BATCH). */
export async function* readInputBatches(source: InputsSource, skip = 0): AsyncGenerator<Input[]> {
  if (source.kind === 'count') {
    for (let first = skip; first < source.count; first += INPUT_BATCH) {
      const batch: Input[] = [];
      for (let i = first; i < Math.min(source.count, first + INPUT_BATCH); i++) batch.push({ value: i, where: 'input' });
      yield batch;
    }
    return;
  }
  if (source.kind === 'values') {
    let i = 0;
    let batch: Input[] = [];
    const take = (value: unknown) => {
      if (i++ < skip) return;
      const problem = jsonProblem(value, `input ${i - 1}`);
      if (problem) throw new UsageError(problem);
      batch.push({ value: value as Json, where: 'input' });
    };
    if (Array.isArray(source.values)) {
      for (const value of source.values) {
        take(value);
        if (batch.length >= INPUT_BATCH) yield batch.splice(0);
      }
    } else {
      for await (const value of source.values as AsyncIterable<unknown>) {
        take(value);
        if (batch.length >= INPUT_BATCH) yield batch.splice(0);
      }
    }
    if (batch.length > 0) yield batch;
    return;
  }
  let batch: Input[] = [];
  for await (const input of readJsonl(source.path, skip)) {
    batch.push(input);
    if (batch.length >= INPUT_BATCH) yield batch.splice(0);
  }
  if (batch.length > 0) yield batch;
}

/** Where an input came from, for a message: its line in a file, else its index ("input 7"). */
export function inputLabel(input: Input, index: number): string {
  return input.where === 'input' ? `input ${index}` : input.where;
}

async function* readJsonl(path: string, skip: number): AsyncGenerator<Input> {
  const name = path === '-' ? 'stdin' : path;
  const stream = path === '-' ? process.stdin : createReadStream(path);
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.once('readable', resolve);
    stream.once('end', resolve);
  });
  try {
    await opened;
  } catch (error) {
    throw cannotRead(path, error);
  }
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let index = 0;
  let any = false;
  try {
    for await (let text of lines) {
      line++;
      // A byte-order mark (files saved by some Windows editors) is not part of the first value.
      if (line === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
      if (text.trim() === '') continue;
      any = true;
      if (index++ < skip) continue;
      const where = `${name}:${line}`;
      let value: unknown;
      try {
        value = parseExactJson(text);
      } catch (error) {
        const reason = error instanceof ContractError ? error.message : `not JSON (${(error as Error).message})`;
        throw new UsageError(`${where}: ${reason}`);
      }
      yield { value: value as Json, where };
    }
  } finally {
    lines.close();
    if (path !== '-') (stream as ReturnType<typeof createReadStream>).destroy();
  }
  if (!any) throw new UsageError(`${name}: no inputs (the file is empty)`);
}

function cannotRead(path: string, error: unknown): UsageError {
  return new UsageError(`cannot read inputs file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
}
