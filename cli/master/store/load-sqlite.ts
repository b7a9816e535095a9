/**
 * node:sqlite, loaded on first use. On Node 22 it announces itself with an ExperimentalWarning
 * that would reach every user's terminal; that one warning is held back, every other passes.
 */
import { createRequire } from 'node:module';

type Sqlite = typeof import('node:sqlite');
let sqlite: Sqlite | undefined;

export function loadSqlite(): Sqlite {
  if (sqlite) return sqlite;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite is an experimental feature/.test(text)) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    sqlite = createRequire(import.meta.url)('node:sqlite') as Sqlite;
  } finally {
    process.emitWarning = emitWarning;
  }
  return sqlite;
}
