/**
 * Job inputs: `--count N` (inputs 0 … N-1, the original's square jobs) or a JSONL file, one JSON
 * value per line. A file is read and checked whole before anything is sent.
 */
import { readFile } from 'node:fs/promises';
import type { Json } from '../../../functions/wire/contract.js';
import { UsageError } from '../../../functions/wire/errors.js';

export function countInputs(count: number): Json[] {
  return Array.from({ length: count }, (_, i) => i);
}

export async function readInputsFile(path: string): Promise<Json[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read inputs file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseInputsJsonl(text, path);
}

/** Blank lines are skipped; any other line must be one JSON value. */
export function parseInputsJsonl(text: string, source = 'inputs'): Json[] {
  const inputs: Json[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      inputs.push(JSON.parse(line) as Json);
    } catch (error) {
      throw new UsageError(`${source}:${index + 1}: not JSON (${(error as Error).message})`);
    }
  }
  if (inputs.length === 0) throw new UsageError(`${source}: no inputs (the file is empty)`);
  return inputs;
}
