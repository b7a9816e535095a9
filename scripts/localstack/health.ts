/** LocalStack's health over HTTP (`/_localstack/health`), and the wait for it after a start. */
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalStackError } from './errors.js';
import { serviceList } from './options.js';

const POLL_MS = 500;
const REQUEST_TIMEOUT_MS = 3_000;

/** `ready`: every wanted service is available or running; `error`: one of them failed to load. */
export type Health = { state: 'ready' } | { state: 'down' } | { state: 'error'; service: string };

export async function checkHealth(endpoint: string, services: string): Promise<Health> {
  let body: { services?: Record<string, string> };
  try {
    const response = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (!response.ok) return { state: 'down' };
    body = (await response.json()) as typeof body;
  } catch {
    return { state: 'down' };
  }
  for (const service of serviceList(services)) {
    const status = body.services?.[service];
    // Only seen with EAGER_SERVICE_LOADING: a provider that cannot load. It will not recover.
    if (status === 'error') return { state: 'error', service };
    if (status !== 'available' && status !== 'running') return { state: 'down' };
  }
  return { state: 'ready' };
}

/** What fanout's plugin says of itself (`GET /_fanout/plugin`), undefined where it is not loaded. */
export type PluginInfo = { version: string; executor: string };

export async function pluginInfo(endpoint: string): Promise<PluginInfo | undefined> {
  try {
    const response = await fetch(`${endpoint}/_fanout/plugin`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as Partial<PluginInfo>;
    return typeof body.version === 'string' && typeof body.executor === 'string' ? { version: body.version, executor: body.executor } : undefined;
  } catch {
    return undefined;
  }
}

export type WaitHealthyOptions = {
  services: string;
  timeoutSeconds: number;
  /** Called between polls; a string return ends the wait early with that reason (e.g. the process exited). */
  stillStarting?: () => Promise<string | undefined>;
  /** Where to look when it fails, for the error message. @default "LocalStack's log" */
  logHint?: string;
};

/** Polls health until ready; throws a LocalStackError on timeout, on a service in "error", or when `stillStarting` gives up. */
export async function waitHealthy(endpoint: string, options: WaitHealthyOptions): Promise<void> {
  const see = `see ${options.logHint ?? "LocalStack's log"}`;
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const health = await checkHealth(endpoint, options.services);
    if (health.state === 'ready') return;
    if (health.state === 'error') {
      throw new LocalStackError(`service ${health.service} reports "error" in ${endpoint}/_localstack/health: ${see}`);
    }
    const gone = await options.stillStarting?.();
    if (gone) throw new LocalStackError(`${gone} before ${endpoint} became healthy: ${see}`);
    if (Date.now() >= deadline) {
      throw new LocalStackError(`timed out after ${options.timeoutSeconds} s waiting for ${endpoint}/_localstack/health (services: ${options.services}): raise LOCALSTACK_START_TIMEOUT or ${see}`);
    }
    await sleep(POLL_MS);
  }
}
