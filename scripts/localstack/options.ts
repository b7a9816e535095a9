/**
 * The settings of the LocalStack lifecycle: typed options, each defaulting to its environment
 * variable (the names the test setup, CI and `npm run localstack` have always used), then to a
 * fixed value.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStackError } from './errors.js';

export const LOCALSTACK_VERSION = '4.14.0';
export const LOCALSTACK_IMAGE = `localstack/localstack:${LOCALSTACK_VERSION}`;

export const MODES = ['auto', 'host', 'docker'] as const;
export type Mode = (typeof MODES)[number];

export type LocalStackOptions = {
  /** Use the LocalStack already running at this URL: only wait for its health. @default - LOCALSTACK_ENDPOINT, else start one */
  endpoint?: string;
  /** SERVICES to enable, comma-separated. Anything but plain `sqs` makes host mode install the larger `runtime` extra. @default - LOCALSTACK_SERVICES, else "sqs" */
  services?: string;
  /** Preferred port; another free one is picked if it is taken. @default - LOCALSTACK_PORT, else 4566 */
  port?: number;
  /** `docker` needs an engine that answers, `host` a Python ≥ 3.12; `auto` tries Docker first. @default - LOCALSTACK_MODE, else "auto" */
  mode?: Mode;
  /** State dir: pid file, logs, lock, LocalStack's data. @default - LOCALSTACK_DIR, else <repo>/.localstack */
  dir?: string;
  /** The host-mode venv; one outside the checkout can be shared between clones. @default - LOCALSTACK_VENV, else <dir>/venv */
  venv?: string;
  /** How long to wait for health. @default - LOCALSTACK_START_TIMEOUT, else 120 */
  startTimeoutSeconds?: number;
  /** Grace period between SIGTERM (docker stop) and SIGKILL. @default - LOCALSTACK_STOP_TIMEOUT, else 15 */
  stopTimeoutSeconds?: number;
  /** How long the host-mode venv install may take (the first one downloads ~100 packages). @default 600 */
  installTimeoutSeconds?: number;
  /** Treat "unavailable here" as a failure, as CI does. @default - REQUIRE_LOCALSTACK=1 */
  require?: boolean;
  /** Where progress lines go. @default - stderr, prefixed "localstack: " */
  log?: (line: string) => void;
};

export type ResolvedOptions = Required<Omit<LocalStackOptions, 'endpoint'>> & {
  endpoint: string | undefined;
  /** The environment the install script and host-mode LocalStack inherit. */
  env: NodeJS.ProcessEnv;
};

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export function resolveOptions(given: LocalStackOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const dir = resolve(given.dir ?? (env.LOCALSTACK_DIR || resolve(repoRoot, '.localstack')));
  const mode = given.mode ?? (env.LOCALSTACK_MODE || 'auto');
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new LocalStackError(`LOCALSTACK_MODE must be auto, host or docker (given "${mode}")`);
  }
  return {
    endpoint: (given.endpoint ?? (env.LOCALSTACK_ENDPOINT || undefined))?.replace(/\/+$/, ''),
    services: given.services ?? (env.LOCALSTACK_SERVICES || 'sqs'),
    port: given.port ?? portFromEnv(env.LOCALSTACK_PORT),
    mode: mode as Mode,
    dir,
    venv: resolve(given.venv ?? (env.LOCALSTACK_VENV || resolve(dir, 'venv'))),
    startTimeoutSeconds: given.startTimeoutSeconds ?? secondsFromEnv(env, 'LOCALSTACK_START_TIMEOUT', 120),
    stopTimeoutSeconds: given.stopTimeoutSeconds ?? secondsFromEnv(env, 'LOCALSTACK_STOP_TIMEOUT', 15),
    installTimeoutSeconds: given.installTimeoutSeconds ?? 600,
    require: given.require ?? env.REQUIRE_LOCALSTACK === '1',
    log: given.log ?? ((line) => process.stderr.write(`localstack: ${line}\n`)),
    env,
  };
}

/** The services LocalStack must report healthy: SERVICES split on commas and blanks. */
export function serviceList(services: string): string[] {
  return services.split(/[\s,]+/).filter(Boolean);
}

function portFromEnv(value: string | undefined): number {
  if (!value) return 4566;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 65535) throw new LocalStackError(`LOCALSTACK_PORT must be a port from 1 to 65535 (given "${value}")`);
  return Number(value);
}

function secondsFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name];
  if (!value) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new LocalStackError(`${name} must be a number of seconds, 0 or more (given "${value}")`);
  return parsed;
}
