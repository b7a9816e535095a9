/**
 * fanout as a user gets it: `npm pack`, installed into a fresh project in a scratch directory,
 * with the project's files taken from README.md (tasks.ts, fanout.config.ts, words.ts,
 * cdk/app.ts, parts.ts) plus a streaming script and a file with a type error. Installed offline from the npm
 * cache that `npm ci` of this repository filled (a lock file cut from this one's, see lockfile.ts),
 * so it needs no registry.
 *
 * It builds dist/ (npm pack runs `prepare`), and takes one to two minutes: most of it the build,
 * the install and `cdk synth`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../cli/node-version.js';
import { scratchDir } from '../helpers/scratch.js';
import { projectLockfile, type Lockfile, type LockPackage, type ProjectManifest } from './lockfile.js';
import { readmeFile } from '../helpers/readme.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

type Ran = { code: number | null; stdout: string; stderr: string; ms: number };

/** The environment of a command in the project: this Node first on PATH, none of the npm run's own settings. */
function projectEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig', 'npm_config_globalconfig']);
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keep.has(key.toLowerCase())) continue;
    if (key.startsWith('FANOUT_') && key !== 'FANOUT_TEST_TMP') continue;
    env[key] = value;
  }
  return { ...env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0', NO_COLOR: '1', ...extra };
}

/** Where each command's output is kept (`<label>.txt`), for a post-mortem with FANOUT_KEEP_TMP=1. */
let outputs: string;

/** Runs a command to its end. */
async function run(cwd: string, label: string, command: string, args: string[], env: NodeJS.ProcessEnv = projectEnv()): Promise<Ran> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ran = { code, stdout, stderr, ms: Math.round(performance.now() - started) };
  await writeFile(join(outputs, `${label}.txt`), `$ ${command} ${args.join(' ')}\nexit ${code} in ${ran.ms} ms\n--- stdout\n${stdout}--- stderr\n${stderr}`).catch(() => undefined);
  return ran;
}

/** The project's package.json: fanout from the tarball, the rest at the versions this repository locks. */
function manifest(lock: Lockfile, tarball: string): ProjectManifest & Record<string, unknown> {
  const locked = (name: string) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    if (!version) throw new Error(`${name} is not in package-lock.json`);
    return version;
  };
  return {
    name: 'my-fanout-project',
    private: true,
    type: 'module',
    dependencies: { fanout: `file:${tarball}`, zod: locked('zod') },
    devDependencies: Object.fromEntries(['@types/node', 'aws-cdk', 'aws-cdk-lib', 'constructs', 'tsx', 'typescript'].map((name) => [name, locked(name)])),
    // As the README's Install says: esbuild's install script, approved.
    allowScripts: { esbuild: true },
  };
}

/** Files of the project that the README does not show. */
const OWN_FILES: Record<string, string> = {
  'stream.ts': `// Streams: the last input is given only once a result has come back. Without streaming this would wait forever.
import { fanout } from 'fanout';
import * as tasks from './tasks.js';

const t0 = Date.now();
const log = (event: string, detail: unknown) => console.log(JSON.stringify({ event, detail, ms: Date.now() - t0 }));
let resultSeen!: () => void;
const firstResult = new Promise<void>((resolve) => (resultSeen = resolve));

async function* texts() {
  for (const text of ['a slow', 'stream of']) {
    log('input', text);
    yield { text };
  }
  const timeout = setTimeout(() => log('stuck', 'no result within 30 s while an input was still to come'), 30_000);
  await firstResult;
  clearTimeout(timeout);
  log('input', 'three short texts');
  yield { text: 'three short texts' };
}

await using fan = await fanout({ tasks, target: 'local' });
const stream = fan.map(tasks.wordCount, texts(), { timeout: '1m' });
for await (const r of stream) {
  log('result', [r.id, r.ok ? r.output.words : r.error.message]);
  resultSeen();
}
log('summary', { complete: stream.summary?.complete, missing: stream.summary?.missing });
`,
  'wrong-input.ts': `import { fanout } from 'fanout';
import * as tasks from './tasks.js';

const fan = await fanout({ tasks });
fan.map(tasks.wordCount, [{ text: 42 }]);
`,
  'tsconfig.json': `${JSON.stringify(
    {
      compilerOptions: { target: 'ES2023', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
      include: ['*.ts', 'cdk/*.ts'],
    },
    null,
    2,
  )}\n`,
  'cdk.json': '{ "app": "npx tsx cdk/app.ts" }\n',
  'bad.jsonl': '{"text":"fine"}\n{"text":3}\n',
};

/** A Node older than 22.13 on this machine, to run the installed bin on: FANOUT_OLD_NODE, or a system one. */
function oldNode(): string | undefined {
  for (const candidate of [process.env.FANOUT_OLD_NODE, '/usr/bin/node', '/usr/local/bin/node', '/bin/node']) {
    if (!candidate) continue;
    const version = spawnSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' });
    if (version.status === 0 && nodeVersionProblem(version.stdout.trim())) return candidate;
  }
  return undefined;
}

// Each step runs real tools (tsc, cdk, esbuild) on a machine busy with the other test files.
describe('fanout installed in a fresh project', { timeout: 180_000 }, () => {
  let project: string;
  let packed: { filename: string; integrity: string; files: { path: string }[] };
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const dir = await scratchDir('outside-');
    project = join(dir, 'my-fanout-project');
    outputs = join(dir, 'outputs');
    await mkdir(join(project, 'cdk'), { recursive: true });
    await mkdir(outputs);
    // The package, as `npm publish` would upload it (`prepare` builds dist/ first).
    const pack = await run(root, 'npm-pack', 'npm', ['pack', '--json', '--pack-destination', project], projectEnv());
    timings['npm pack (with the build)'] = pack.ms;
    expect(pack.code, pack.stderr).toBe(0);
    [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[\n'))) as [typeof packed];
    // The project: package.json, a lock file cut from this repository's, the README's files and its own.
    const lock = JSON.parse(await readFile(join(root, 'package-lock.json'), 'utf8')) as Lockfile;
    const ours = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as LockPackage;
    const pkg = manifest(lock, packed.filename);
    const fanoutEntry: LockPackage = {
      version: ours.version,
      resolved: `file:${packed.filename}`,
      integrity: packed.integrity,
      ...Object.fromEntries(['license', 'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines'].map((key) => [key, ours[key]])),
    };
    const files: Record<string, string> = {
      'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
      'package-lock.json': `${JSON.stringify(projectLockfile(lock, pkg, { 'node_modules/fanout': fanoutEntry }), null, 2)}\n`,
      'tasks.ts': readmeFile('tasks.ts'),
      'fanout.config.ts': readmeFile('fanout.config.ts'),
      'words.ts': readmeFile('words.ts'),
      'cdk/app.ts': readmeFile('cdk/app.ts'),
      // Only type-checked (below): the parts, as `fanout/parts` gives them.
      'parts.ts': readmeFile('parts.ts'),
      ...OWN_FILES,
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(project, name), text);
    const install = await run(project, 'npm-ci', 'npm', ['ci', '--offline', '--no-audit', '--no-fund']);
    timings['npm ci --offline'] = install.ms;
    expect(install.code, install.stderr).toBe(0);
    expect(install.stderr, 'npm ci warned').not.toMatch(/warn/i);
  }, 300_000);

  it('is a package of compiled JavaScript and declarations, with its entries and no tests', () => {
    const files = packed.files.map((f) => f.path);
    for (const entry of ['dist/cli/bin.js', 'dist/cli/index.js', 'dist/cli/index.d.ts', 'dist/cli/parts.js', 'dist/cli/parts.d.ts', 'dist/functions/tasks/index.js', 'dist/functions/tasks/index.d.ts', 'dist/functions/worker.js', 'dist/cli/config/define-config.js', 'dist/cdk/index.js', 'dist/cdk/index.d.ts']) {
      expect(files, entry).toContain(entry);
    }
    expect(files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md'].includes(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|bench|scripts)\/|\.test\.|(^|\/)app\.js$|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it('runs `npx fanout run --local --task cube` with the tasks of its fanout.config.ts', async () => {
    // Act
    const ran = await run(project, 'fanout-run-local', 'npx', ['fanout', 'run', '--local', '--task', 'cube', '--count', '4']);
    timings['npx fanout run --local'] = ran.ms;
    // Assess
    expect(ran.code, ran.stderr).toBe(0);
    const lines = ran.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('Dispatch'))).toEqual(['Dispatch job 0', 'Dispatch job 1', 'Dispatch job 2', 'Dispatch job 3']);
    expect(lines.filter((l) => l.startsWith('Finished')).sort()).toEqual(['Finished job 0: 0', 'Finished job 1: 1', 'Finished job 2: 8', 'Finished job 3: 27']);
    expect(ran.stderr).toMatch(/^run r-[a-z0-9]+-[0-9a-f]{6}: 4\/4 results \(4 ok, 0 failed\) in [\d.]+ s, complete$/m);
  });

  it('stops a bad input at dispatch: one line naming it, exit 2', async () => {
    const ran = await run(project, 'fanout-run-bad-input', 'npx', ['fanout', 'run', '--local', '--task', 'word-count', '--inputs', 'bad.jsonl']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toBe("fanout: bad.jsonl:2: the input does not match task word-count's schema at text: Invalid input: expected string, received number\n");
    expect(ran.stdout).toBe('');
  });

  it('runs `fanout local` (server only) and `fanout work` (worker processes loading the tasks module), then dispatch and collect', async () => {
    // Prepare: the two long-running commands of the README's "separate terminals".
    const started = performance.now();
    const home = join(project, '.fanout');
    // The installed bin itself, not through npx: Ctrl-C (SIGINT) must reach it.
    const spawnLong = (args: string[]) => spawn(join(project, 'node_modules', '.bin', 'fanout'), args, { cwd: project, env: projectEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    const local = spawnLong(['local', '--port', '0', '--workers', '0']);
    let work: ReturnType<typeof spawnLong> | undefined;
    let workLog = '';
    try {
      for (let i = 0; i < 200 && !(await stat(join(home, 'local.json')).catch(() => undefined)); i++) await new Promise((r) => setTimeout(r, 100));
      work = spawnLong(['work', '--processes', '1', '--wait-time', '1']);
      work.stderr!.on('data', (d: Buffer) => (workLog += d));
      // Act
      const dispatched = await run(project, 'fanout-dispatch', 'npx', ['fanout', 'dispatch', '--task', 'cube', '--count', '3']);
      const collected = await run(project, 'fanout-collect', 'npx', ['fanout', 'collect', '--json', '--timeout', '30']);
      timings['fanout local + work + dispatch + collect'] = Math.round(performance.now() - started);
      // Assess
      expect(dispatched.code, dispatched.stderr).toBe(0);
      expect(collected.code, `${collected.stderr}${workLog}`).toBe(0);
      const results = collected.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; id: number; output: unknown }).filter((e) => e.event === 'result');
      expect(results.map((r) => [r.id, r.output]).sort()).toEqual([[0, 0], [1, 1], [2, 8]]);
      expect(workLog).toContain('tasks: cube, word-count (tasks.ts)');
    } finally {
      for (const child of [work, local]) {
        if (!child || child.exitCode !== null) continue;
        const closed = new Promise((resolve) => child.on('close', resolve));
        child.kill('SIGINT');
        const late = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await closed;
        clearTimeout(late);
      }
    }
  });

  it("runs the README's map() script", async () => {
    const ran = await run(project, 'tsx-words', 'npx', ['tsx', 'words.ts']);
    timings['npx tsx words.ts'] = ran.ms;
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.trim().split('\n').sort()).toEqual(['text 0: 1 words', 'text 1: 2 words', 'text 2: 3 words']);
  });

  it('streams map() results: the first arrives before the last input is read', async () => {
    // Act
    const ran = await run(project, 'tsx-stream', 'npx', ['tsx', 'stream.ts']);
    timings['npx tsx stream.ts'] = ran.ms;
    // Assess
    expect(ran.code, ran.stderr).toBe(0);
    const events = ran.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; detail: unknown; ms: number });
    expect(events.map((e) => e.event)).not.toContain('stuck');
    const firstResult = events.findIndex((e) => e.event === 'result');
    const lastInput = events.findIndex((e) => e.event === 'input' && e.detail === 'three short texts');
    expect(firstResult).toBeGreaterThan(-1);
    expect(lastInput).toBeGreaterThan(firstResult);
    expect(events.filter((e) => e.event === 'result').map((e) => e.detail).sort()).toEqual([[0, 2], [1, 2], [2, 3]]);
    expect(events.at(-1)).toMatchObject({ event: 'summary', detail: { complete: true, missing: [] } });
  });

  it('type-checks, except the wrong input: that is a compile error at the wrong field', async () => {
    // Act
    const ran = await run(project, 'tsc', 'npx', ['tsc', '-p', '.']);
    timings['npx tsc -p .'] = ran.ms;
    // Assess
    expect(ran.code).toBe(2);
    expect(ran.stdout.split('\n').filter((l) => /^\S+\(\d+,\d+\): error/.test(l))).toEqual(["wrong-input.ts(5,29): error TS2322: Type 'number' is not assignable to type 'string'."]);
  });

  it("synthesizes a stack whose worker bundle holds the project's tasks and nothing of the CLI", async () => {
    // Act
    const ran = await run(project, 'cdk-synth', 'npx', ['cdk', 'synth', '--quiet', '--no-notices'], projectEnv({ CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' }));
    timings['npx cdk synth'] = ran.ms;
    // Assess
    expect(ran.code, ran.stderr).toBe(0);
    const assets = (await readdir(join(project, 'cdk.out'))).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const bundle = join(project, 'cdk.out', assets[0]!, 'index.mjs');
    const code = await readFile(bundle, 'utf8');
    expect(code).toContain('"word-count"');
    expect(code).toContain('"cube"');
    expect(code).toContain('.filter(Boolean)');
    for (const absent of ['fauxqs', 'CloudFormationClient', 'UpdateEventSourceMapping', 'commander', 'node:sqlite', 'tsImport']) expect(code, absent).not.toContain(absent);
    expect((await stat(bundle)).size).toBeLessThan(600_000);
    const template = JSON.parse(await readFile(join(project, 'cdk.out', 'Fanout.template.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const worker = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler');
    expect(worker?.Properties).toMatchObject({ Runtime: 'nodejs24.x', Code: { S3Key: `${assets[0]!.slice('asset.'.length)}.zip` } });
  });

  it('says in one line on Node 20 that it needs a newer Node', async () => {
    // A real older Node if this machine has one; else a preload that makes this one say it is 20.
    const old = oldNode();
    const fake = `data:text/javascript,Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '20.18.0' } });`;
    const ran = old
      ? await run(project, 'old-node', join(project, 'node_modules', '.bin', 'fanout'), ['run', '--local'], { ...projectEnv(), PATH: `${dirname(old)}${delimiter}${process.env.PATH ?? ''}` })
      : await run(project, 'old-node', process.execPath, ['--import', fake, join(project, 'node_modules', '.bin', 'fanout'), 'run', '--local']);
    const version = old ? spawnSync(old, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim() : '20.18.0';
    expect(ran.code).toBe(1);
    expect(ran.stdout).toBe('');
    expect(ran.stderr).toBe(`${nodeVersionProblem(version)}\n`);
    process.stderr.write(`[package] Node ${version} (${old ? `real: ${old}` : 'faked by a preload'}): ${ran.stderr}`);
    process.stderr.write(`[package] timings (ms): ${JSON.stringify(timings)}\n`);
  });
});
