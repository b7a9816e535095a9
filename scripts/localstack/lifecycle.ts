/**
 * LocalStack for the test suite and by hand (`npm run localstack -- start|stop|status|env`).
 *
 * `start` makes one available and resolves its endpoint. Idempotent: a healthy instance started
 * earlier from the same state dir is reused.
 *   1. an endpoint given (LOCALSTACK_ENDPOINT) → only wait for its health;
 *   2. a Docker engine answers → image localstack/localstack:4.14.0 published on 127.0.0.1;
 *   3. else host mode → install.sh's venv with localstack-core==4.14.0, bound to 127.0.0.1, with
 *      fanout's plugin (host.ts): Lambda functions are created, never run.
 * The preferred port (4566) is used if free, else another. Neither Docker nor Python ≥ 3.12:
 * LocalStackUnavailableError, which callers treat as "skip" — except under REQUIRE_LOCALSTACK=1,
 * where `start` throws a plain LocalStackError instead.
 * `stop` stops exactly what `start` launched (pid file / container name), never anything else.
 */
import { existsSync } from 'node:fs';
import { containerLogTail, containerName, containerRunning, dockerAnswers, removeContainer, runContainer } from './docker.js';
import { LocalStackError, LocalStackUnavailableError } from './errors.js';
import { checkHealth, pluginInfo, waitHealthy } from './health.js';
import { hostLogTail, installVenv, launchHost, pluginVersion } from './host.js';
import { withLock } from './lock.js';
import { LOCALSTACK_IMAGE, LOCALSTACK_VERSION, resolveOptions, type LocalStackOptions, type ResolvedOptions } from './options.js';
import { pickPort } from './ports.js';
import { isOurPid, pidAlive, stopPid } from './processes.js';
import { clearLaunched, ensureDirs, logFile, readLaunched, stateDir, writeLaunched, type Launched } from './state.js';

export type StartResult = {
  endpoint: string;
  /** `endpoint`: the one given; `docker` / `host`: what this checkout runs. */
  mode: 'endpoint' | Launched['mode'];
  /** True only if this call launched it; false for a given endpoint or a reused instance (leave those running). */
  started: boolean;
};

/** The lock also covers a first venv install, hence the margin over the health timeout. */
const LOCK_MARGIN_SECONDS = 600;

export async function start(given: LocalStackOptions = {}): Promise<StartResult> {
  const options = resolveOptions(given);
  try {
    return await startWith(options);
  } catch (error) {
    if (error instanceof LocalStackUnavailableError && options.require) {
      throw new LocalStackError(`REQUIRE_LOCALSTACK=1 makes this a failure: ${error.message}`);
    }
    throw error;
  }
}

/** Stops what `start` launched from this state dir; resolves whether there was something to stop. */
export async function stop(given: LocalStackOptions = {}): Promise<boolean> {
  const options = resolveOptions(given);
  if (!existsSync(stateDir(options.dir))) return false;
  return withLock(options.dir, options.startTimeoutSeconds + LOCK_MARGIN_SECONDS, options.log, () => stopLaunched(options));
}

/** The endpoint if it is up and healthy (the given one, or the instance this state dir launched). */
export async function status(given: LocalStackOptions = {}): Promise<string | undefined> {
  const options = resolveOptions(given);
  if (options.endpoint) return (await checkHealth(options.endpoint, options.services)).state === 'ready' ? options.endpoint : undefined;
  return (await runningInstance(options))?.endpoint;
}

/** What the AWS SDK needs to talk to LocalStack: endpoint, region, dummy credentials. */
export function sdkEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
}

async function startWith(options: ResolvedOptions): Promise<StartResult> {
  const { endpoint, dir, log } = options;
  if (endpoint) {
    log(`LOCALSTACK_ENDPOINT set: waiting for ${endpoint}`);
    await waitHealthy(endpoint, { services: options.services, timeoutSeconds: options.startTimeoutSeconds });
    return { endpoint, mode: 'endpoint', started: false };
  }
  ensureDirs(dir);
  return withLock(dir, options.startTimeoutSeconds + LOCK_MARGIN_SECONDS, log, async () => {
    const running = await runningInstance(options);
    if (running) {
      log(`reusing running LocalStack at ${running.endpoint}`);
      return { endpoint: running.endpoint, mode: running.mode, started: false };
    }
    // Whatever an earlier start left is stale: crashed, unhealthy, or with other services.
    await stopLaunched(options);
    switch (options.mode) {
      case 'docker':
        if (!(await dockerAnswers())) throw new LocalStackUnavailableError('LOCALSTACK_MODE=docker but no Docker engine answers (docker info failed)');
        return startDocker(options);
      case 'host':
        return startHost(options, 'LOCALSTACK_MODE=host but no Python >= 3.12 with venv found');
      case 'auto':
        if (await dockerAnswers()) return startDocker(options);
        return startHost(options, 'no Docker engine (docker info failed) and no Python >= 3.12 with venv');
    }
  });
}

async function startHost(options: ResolvedOptions, unavailableReason: string): Promise<StartResult> {
  const { dir, services, log } = options;
  const python = await installVenv(options, unavailableReason);
  const port = await freePort(options);
  const endpoint = `http://127.0.0.1:${port}`;
  const pid = launchHost(python, port, options);
  writeLaunched(dir, { mode: 'host', endpoint, pid });
  await waitOrStop(options, endpoint, {
    stillStarting: async () => (pidAlive(pid) ? undefined : 'the LocalStack process exited'),
    logHint: logFile(dir),
    logTail: async () => hostLogTail(dir),
  });
  log(`LocalStack ${LOCALSTACK_VERSION} (host mode, pid ${pid}, services ${services}) ready at ${endpoint}; log: ${logFile(dir)}`);
  return { endpoint, mode: 'host', started: true };
}

async function startDocker(options: ResolvedOptions): Promise<StartResult> {
  const { dir, services, log } = options;
  const container = containerName(dir);
  const port = await freePort(options);
  const endpoint = `http://127.0.0.1:${port}`;
  log(`starting container ${container} from ${LOCALSTACK_IMAGE}`);
  await runContainer({ container, port, services });
  writeLaunched(dir, { mode: 'docker', endpoint, container });
  await waitOrStop(options, endpoint, {
    stillStarting: async () => ((await containerRunning(container)) ? undefined : 'the LocalStack container stopped'),
    logHint: `docker logs ${container}`,
    logTail: () => containerLogTail(container),
  });
  log(`LocalStack ${LOCALSTACK_VERSION} (container ${container}, services ${services}) ready at ${endpoint}`);
  return { endpoint, mode: 'docker', started: true };
}

async function freePort({ port, log }: ResolvedOptions): Promise<number> {
  const picked = await pickPort(port);
  if (picked !== port) log(`port ${port} is taken, using ${picked}`);
  return picked;
}

type Watch = { stillStarting: () => Promise<string | undefined>; logHint: string; logTail: () => Promise<string> };

/** Waits for health; on failure shows the log's tail and stops what was launched before rethrowing. */
async function waitOrStop(options: ResolvedOptions, endpoint: string, watch: Watch): Promise<void> {
  try {
    const { stillStarting, logHint } = watch;
    await waitHealthy(endpoint, { services: options.services, timeoutSeconds: options.startTimeoutSeconds, stillStarting, logHint });
  } catch (error) {
    options.log(`last lines of ${watch.logHint}:\n${await watch.logTail()}`);
    await stopLaunched(options).catch(() => undefined);
    throw error;
  }
}

/** The instance this state dir launched, if it still runs (and is ours) and is healthy. */
async function runningInstance(options: ResolvedOptions): Promise<Launched | undefined> {
  const launched = readLaunched(options.dir);
  if (!launched) return undefined;
  const alive = launched.mode === 'host' ? isOurPid(launched.pid) : await containerRunning(launched.container);
  if (!alive) return undefined;
  if ((await checkHealth(launched.endpoint, options.services)).state !== 'ready') return undefined;
  // Host mode runs fanout's plugin; one started from an older checkout (or before it) is restarted.
  if (launched.mode === 'host' && (await pluginInfo(launched.endpoint))?.version !== pluginVersion()) {
    options.log(`LocalStack at ${launched.endpoint} runs another version of fanout's plugin (or none): restarting it`);
    return undefined;
  }
  return launched;
}

/** Stops what the state files name, then forgets it. Callers hold the lock. */
async function stopLaunched({ dir, stopTimeoutSeconds, log }: ResolvedOptions): Promise<boolean> {
  const launched = readLaunched(dir);
  let stopped = false;
  if (launched?.mode === 'host' && isOurPid(launched.pid)) {
    log(`stopping LocalStack (pid ${launched.pid})`);
    if (!(await stopPid(launched.pid, stopTimeoutSeconds, log))) {
      throw new LocalStackError(`could not stop pid ${launched.pid}: kill it by hand, then run stop again`);
    }
    stopped = true;
  } else if (launched?.mode === 'docker') {
    log(`stopping container ${launched.container}`);
    await removeContainer(launched.container, stopTimeoutSeconds, logFile(dir));
    stopped = true;
  }
  clearLaunched(dir);
  return stopped;
}
