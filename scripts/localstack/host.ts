/**
 * Host mode: LocalStack from the Python venv that install.sh prepares, run as a detached process
 * bound to 127.0.0.1, with fanout's plugin (scripts/localstack/plugin/) on its PYTHONPATH: with
 * Lambda among the services, functions are created but never run there (no Docker), and the
 * event source mappings take no messages (the tests run the deployed bundle themselves).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStackError, LocalStackUnavailableError } from './errors.js';
import { serviceList, type ResolvedOptions } from './options.js';
import { RUNTIME_MODULE } from './processes.js';
import { logFile } from './state.js';

const INSTALL_SCRIPT = fileURLToPath(new URL('install.sh', import.meta.url));
/** fanout's LocalStack plugin: a directory plux reads entry points from (plugin/fanout_localstack/__init__.py says what it does). */
export const PLUGIN_DIR = fileURLToPath(new URL('plugin', import.meta.url));
/** The plugin's Lambda runtime executor: functions prepared (zip unpacked, State Active), never run. */
export const NOEXEC_EXECUTOR = 'fanout-noexec';
/** install.sh's exit code when no Python ≥ 3.12 with venv is found. */
const EXIT_NO_PYTHON = 3;

/** The plugin's VERSION (plugin/fanout_localstack/__init__.py): an instance running another is restarted. */
export function pluginVersion(): string {
  const source = readFileSync(join(PLUGIN_DIR, 'fanout_localstack', '__init__.py'), 'utf8');
  const version = /^VERSION = "([^"]+)"$/m.exec(source)?.[1];
  if (!version) throw new LocalStackError(`no VERSION = "…" line in ${join(PLUGIN_DIR, 'fanout_localstack', '__init__.py')}`);
  return version;
}

/** Runs install.sh (quick when the venv is ready) and resolves the venv's python; no usable Python → LocalStackUnavailableError. */
export function installVenv(options: ResolvedOptions, unavailableReason: string): Promise<string> {
  const env = { ...options.env, LOCALSTACK_DIR: options.dir, LOCALSTACK_VENV: options.venv, LOCALSTACK_SERVICES: options.services };
  const child = spawn('bash', [INSTALL_SCRIPT], { env, stdio: ['ignore', 'pipe', 'inherit'], timeout: options.installTimeoutSeconds * 1000 });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new LocalStackError(`could not run ${INSTALL_SCRIPT} (${error.message}): is bash on PATH?`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(stdout.trim().split('\n').at(-1)!);
      if (code === EXIT_NO_PYTHON) return reject(new LocalStackUnavailableError(unavailableReason));
      const why = signal ? `${signal}; the install may take ${options.installTimeoutSeconds} s` : `exit ${code}`;
      reject(new LocalStackError(`installing LocalStack into ${options.venv} failed (${why}): see the lines above and ${join(options.dir, 'pip.log')}`));
    });
  });
}

/** Starts LocalStack in the background and returns its pid; the caller waits for health. */
export function launchHost(python: string, port: number, options: ResolvedOptions): number {
  const { dir, services } = options;
  const logPath = logFile(dir);
  if (existsSync(logPath)) renameSync(logPath, `${logPath}.1`);
  mkdirSync(join(dir, 'filesystem'), { recursive: true });
  mkdirSync(join(dir, 'cache'), { recursive: true });
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  const env = {
    ...options.env,
    SERVICES: services,
    GATEWAY_LISTEN: `127.0.0.1:${port}`,
    // Host:port written into queue URLs (the default, localhost.localstack.cloud, needs public DNS).
    LOCALSTACK_HOST: `127.0.0.1:${port}`,
    // No DNS server: it would bind port 53.
    DNS_ADDRESS: '0',
    // /.dockerenv may exist; in-docker mode would rewrite /etc/resolv.conf and use /var/lib/localstack.
    OVERRIDE_IN_DOCKER: '0',
    SQS_ENDPOINT_STRATEGY: 'path',
    // No network calls: a self-signed certificate, no analytics.
    SKIP_SSL_CERT_DOWNLOAD: '1',
    DISABLE_EVENTS: '1',
    // Load the providers at startup, so a broken one shows as "error" in the health check instead
    // of "available" followed by HTTP 500 on the first call.
    EAGER_SERVICE_LOADING: '1',
    PERSISTENCE: '0',
    // LocalStack's dirs and plux's entry-point cache stay inside the state dir.
    FILESYSTEM_ROOT: join(dir, 'filesystem'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    // It outlives its caller (later runs reuse it), so not the caller's TMPDIR, which may be removed.
    TMPDIR: join(dir, 'tmp'),
    PYTHONUNBUFFERED: '1',
    // The plugin, found by plux on the path (its entry-point cache, keyed by sys.path, is rebuilt).
    PYTHONPATH: [PLUGIN_DIR, options.env.PYTHONPATH].filter(Boolean).join(delimiter),
    // Without Docker no function can run: create them without running them (the plugin's executor).
    ...(serviceList(services).includes('lambda') && { LAMBDA_RUNTIME_EXECUTOR: NOEXEC_EXECUTOR }),
  };
  const out = openSync(logPath, 'w');
  try {
    // detached: its own session and process group (as setsid did), so stop can signal the whole
    // group, and a Ctrl-C of the caller does not reach it. Node passes no other descriptors on.
    const child = spawn(python, ['-m', RUNTIME_MODULE], { cwd: dir, env, detached: true, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new LocalStackError(`could not run ${python}: delete ${options.venv} to reinstall it`);
    child.on('error', () => undefined);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** The last lines of host mode's log, for a start that failed. */
export function hostLogTail(dir: string, lines = 40): string {
  try {
    return readFileSync(logFile(dir), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
