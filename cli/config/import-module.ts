/**
 * Loads a module of the user's project (a config file, a tasks module) by path. TypeScript goes
 * through tsx's `tsImport` (the loader `npm start` runs fanout's own sources with), in a namespace
 * of its own, so it works from compiled fanout too and leaves the process's loaders alone;
 * JavaScript is imported as it is.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../functions/wire/errors.js';

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/** @param what how error messages name the file ("tasks module", "config file") */
export async function importModule(path: string, what: string): Promise<Record<string, unknown>> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`${what} ${path} not found`);
  const url = pathToFileURL(file).href;
  try {
    if (!TYPESCRIPT.test(file)) return (await import(url)) as Record<string, unknown>;
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot load ${what} ${path}: ${message.split('\n')[0]}`, { cause: error });
  }
}
