/**
 * `npm start`: the compiled CLI (fast to start), rebuilt first when a source under functions/,
 * cli/ or cdk/ is newer than the build, so an edit (a new task) is there at once, as it is with
 * `npm run fanout`. The arguments after this script are the CLI's.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'dist', 'cli', 'bin.js');

/** When the build read its sources (dist/.build-started), else when it wrote bin.js; -1 if none. */
function builtAt() {
  try {
    const started = Number(readFileSync(join(root, 'dist', '.build-started'), 'utf8'));
    if (Number.isFinite(started)) return started;
  } catch {
    // Built before the stamp existed: fall back to bin.js's time.
  }
  try {
    return statSync(bin).mtimeMs;
  } catch {
    return -1;
  }
}

/** Whether any .ts file under `dir` changed after `since`. */
function changedSince(dir, since) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (changedSince(path, since)) return true;
    } else if (entry.name.endsWith('.ts') && statSync(path).mtimeMs > since) {
      return true;
    }
  }
  return false;
}

const since = builtAt();
if (since < 0 || ['functions', 'cli', 'cdk'].some((dir) => changedSince(join(root, dir), since))) {
  process.stderr.write(`fanout: ${since < 0 ? 'dist/ is missing' : 'sources changed since dist/ was built'}: compiling (npm run build)\n`);
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  } catch {
    process.stderr.write('fanout: npm run build failed (its errors are above)\n');
    process.exit(1);
  }
}
await import(pathToFileURL(bin).href);
