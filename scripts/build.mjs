/**
 * `npm run build`: compiles functions/, cli/ and cdk/ into a fresh folder beside dist/ and then
 * puts it in dist/'s place, so that a command running from dist/ meanwhile (`npm start`, the
 * benchmark, a test) does not find it half-built or missing, as `rm -rf dist && tsc` would leave
 * it for the seconds tsc takes. dist/.build-started records when the sources were read, for
 * scripts/start.mjs: a source changed after that moment is newer than the build.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const fresh = join(root, `.dist-build-${process.pid}`);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const started = Date.now();
try {
  execFileSync(process.execPath, [tsc, '-p', root, '--outDir', fresh], { stdio: 'inherit' });
} catch {
  rmSync(fresh, { recursive: true, force: true });
  process.exit(1);
}
chmodSync(join(fresh, 'cli', 'bin.js'), 0o755);
writeFileSync(join(fresh, '.build-started'), `${started}\n`);

// Another build may put its dist/ back between our two renames: move that one aside too, and retry.
for (let attempt = 0; ; attempt++) {
  const old = join(root, `.dist-old-${process.pid}-${attempt}`);
  try {
    renameSync(dist, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    renameSync(fresh, dist);
    rmSync(old, { recursive: true, force: true });
    break;
  } catch (error) {
    rmSync(old, { recursive: true, force: true });
    if (!['ENOTEMPTY', 'EEXIST'].includes(error.code) || attempt >= 10) throw error;
  }
}
