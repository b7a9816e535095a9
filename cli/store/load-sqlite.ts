/** node:sqlite, loaded on first use, without the ExperimentalWarning Node 22 would print. */
import { createRequire } from 'node:module';
import { holdBackSqliteWarning } from '../sqlite-warning.js';

type Sqlite = typeof import('node:sqlite');
let sqlite: Sqlite | undefined;

export function loadSqlite(): Sqlite {
  if (sqlite) return sqlite;
  holdBackSqliteWarning();
  sqlite = createRequire(import.meta.url)('node:sqlite') as Sqlite;
  return sqlite;
}
