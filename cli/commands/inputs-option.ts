/** `--count N`, `--inputs FILE` or `--inputs -` (standard input): the jobs a command dispatches. */
import { UsageError } from '../../functions/wire/errors.js';
import type { InputsSource } from '../master/dispatch/inputs.js';

export type InputsFlags = { count?: number; inputs?: string };

export function inputsSource(flags: InputsFlags): InputsSource {
  if (flags.count !== undefined && flags.inputs !== undefined) throw new UsageError('--count and --inputs exclude each other: give one');
  return flags.inputs !== undefined ? { kind: 'file', path: flags.inputs } : { kind: 'count', count: flags.count ?? 10 };
}
