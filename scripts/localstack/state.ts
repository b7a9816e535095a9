/**
 * What `start` launched, kept in `<dir>/state/` (one file per field, as scripts/localstack.sh kept
 * them) so that `stop` and `status` in another process find exactly that instance.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Launched =
  | { mode: 'host'; endpoint: string; pid: number }
  | { mode: 'docker'; endpoint: string; container: string };

const FIELDS = ['mode', 'endpoint', 'pid', 'container'] as const;

export function stateDir(dir: string): string {
  return join(dir, 'state');
}

/** LocalStack's own log (host mode writes it live; docker mode's is saved at stop). */
export function logFile(dir: string): string {
  return join(dir, 'localstack.log');
}

/** Creates the state dir, and keeps the whole dir out of git even without a root .gitignore entry. */
export function ensureDirs(dir: string): void {
  mkdirSync(stateDir(dir), { recursive: true });
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
}

export function readLaunched(dir: string): Launched | undefined {
  const field = (name: (typeof FIELDS)[number]) => {
    try {
      return readFileSync(join(stateDir(dir), name), 'utf8').trim();
    } catch {
      return '';
    }
  };
  const [mode, endpoint, pid, container] = FIELDS.map(field);
  if (!endpoint) return undefined;
  if (mode === 'host' && /^\d+$/.test(pid!)) return { mode, endpoint, pid: Number(pid) };
  if (mode === 'docker' && container) return { mode, endpoint, container };
  return undefined;
}

/** Written before the health wait, so that a start that fails (or is killed) can still be stopped. */
export function writeLaunched(dir: string, launched: Launched): void {
  clearLaunched(dir);
  for (const [name, value] of Object.entries(launched)) writeFileSync(join(stateDir(dir), name), `${value}\n`);
}

export function clearLaunched(dir: string): void {
  for (const name of FIELDS) rmSync(join(stateDir(dir), name), { force: true });
}
