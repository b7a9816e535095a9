/**
 * `npm run build`: compiles functions/, cli/ and cdk/ into a fresh folder beside dist/ and then
 * puts it in dist/'s place, so that a command running from dist/ meanwhile (`npm start`, the
 * benchmark, a test) never finds it half-built or missing, as `rm -rf dist && tsc` would leave it
 * for the seconds tsc takes.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const fresh = join(root, `.dist-build-${process.pid}`);
const old = join(root, `.dist-old-${process.pid}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

try {
  execFileSync(process.execPath, [tsc, '-p', root, '--outDir', fresh], { stdio: 'inherit' });
} catch {
  rmSync(fresh, { recursive: true, force: true });
  process.exit(1);
}
chmodSync(join(fresh, 'cli', 'bin.js'), 0o755);
try {
  renameSync(dist, old);
} catch (error) {
  if (error.code !== 'ENOENT') throw error;
}
renameSync(fresh, dist);
rmSync(old, { recursive: true, force: true });
