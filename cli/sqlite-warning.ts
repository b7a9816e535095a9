/**
 * node:sqlite (the run store, fauxqs's persistence) announces itself on Node 22 with an
 * ExperimentalWarning that would reach every user's terminal: that one warning is held back,
 * every other passes. Idempotent.
 */
let installed = false;

export function holdBackSqliteWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (/SQLite is an experimental feature/.test(typeof warning === 'string' ? warning : warning.message)) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
