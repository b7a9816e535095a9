/** `--count N` or `--inputs FILE`: the jobs a command dispatches. */
import type { Json } from '../../functions/wire/contract.js';
import { UsageError } from '../../functions/wire/errors.js';
import { countInputs, readInputsFile } from '../master/dispatch/inputs.js';

export type InputsFlags = { count?: number; inputs?: string };

export function resolveInputs(flags: InputsFlags): Promise<Json[]> {
  if (flags.count !== undefined && flags.inputs !== undefined) {
    throw new UsageError('--count and --inputs exclude each other: give one');
  }
  return flags.inputs !== undefined ? readInputsFile(flags.inputs) : Promise.resolve(countInputs(flags.count ?? 10));
}
