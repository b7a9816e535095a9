/** Docker mode: LocalStack's image in a container published on 127.0.0.1 only. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { LocalStackError } from './errors.js';
import { PLUGIN_DIR } from './host.js';
import { LOCALSTACK_IMAGE, serviceList } from './options.js';

const run = promisify(execFile);
const BUFFER = 16 * 1024 * 1024;

/** A Docker CLI whose engine answers `docker info` within 15 s. */
export async function dockerAnswers(): Promise<boolean> {
  return run('docker', ['info'], { timeout: 15_000, maxBuffer: BUFFER }).then(() => true, () => false);
}

/** One container name per state dir (by default one per checkout), so two clones on one machine do not collide. */
export function containerName(dir: string): string {
  return `fanout-localstack-${createHash('sha256').update(dir).digest('hex').slice(0, 10)}`;
}

export type DockerStart = { container: string; port: number; services: string };

export async function runContainer({ container, port, services }: DockerStart): Promise<void> {
  await run('docker', ['rm', '-f', container]).catch(() => undefined);
  // Same settings as host mode, where they apply inside a container (see host.ts for why each is set).
  const env: Record<string, string> = {
    SERVICES: services,
    LOCALSTACK_HOST: `127.0.0.1:${port}`,
    SQS_ENDPOINT_STRATEGY: 'path',
    SKIP_SSL_CERT_DOWNLOAD: '1',
    DISABLE_EVENTS: '1',
    EAGER_SERVICE_LOADING: '1',
  };
  const args = ['run', '-d', '--rm', '--name', container, '-p', `127.0.0.1:${port}:4566`];
  // fanout's plugin, for its request log (the tests' policy check); functions run as usual here.
  args.push('-v', `${PLUGIN_DIR}:/opt/fanout-localstack:ro`);
  Object.assign(env, { PYTHONPATH: '/opt/fanout-localstack' });
  if (serviceList(services).includes('lambda')) {
    // LocalStack runs each invocation in a container of its own, through the engine's socket (as in
    // docker-compose.yml). Not exercised by this project's CI, which has no Docker engine.
    args.push('-v', '/var/run/docker.sock:/var/run/docker.sock');
    Object.assign(env, { DOCKER_HOST: 'unix:///var/run/docker.sock', LAMBDA_IGNORE_ARCHITECTURE: '1', LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT: '60' });
  }
  for (const [name, value] of Object.entries(env)) args.push('-e', `${name}=${value}`);
  try {
    await run('docker', [...args, LOCALSTACK_IMAGE], { maxBuffer: BUFFER });
  } catch (error) {
    throw new LocalStackError(`docker run ${LOCALSTACK_IMAGE} failed (${oneLine(error)}): check that the image can be pulled, or set LOCALSTACK_MODE=host`);
  }
}

export async function containerRunning(container: string): Promise<boolean> {
  const { stdout } = await run('docker', ['inspect', '-f', '{{.State.Running}}', container]).catch(() => ({ stdout: '' }));
  return stdout.trim() === 'true';
}

/** The last lines of the container's log, for a start that failed. */
export async function containerLogTail(container: string, lines = 40): Promise<string> {
  const { stdout, stderr } = await run('docker', ['logs', '--tail', String(lines), container], { maxBuffer: BUFFER }).catch(() => ({ stdout: '', stderr: '' }));
  return `${stdout}${stderr}`;
}

/** Saves the container's log to logFile (it goes with the container), then stops and removes it. */
export async function removeContainer(container: string, stopTimeoutSeconds: number, logFile: string): Promise<void> {
  const logs = await run('docker', ['logs', container], { maxBuffer: BUFFER }).catch(() => undefined);
  if (logs) writeFileSync(logFile, `${logs.stdout}${logs.stderr}`);
  await run('docker', ['stop', '-t', String(stopTimeoutSeconds), container], { timeout: (stopTimeoutSeconds + 30) * 1000 }).catch(() => undefined);
  await run('docker', ['rm', '-f', container]).catch(() => undefined);
}

function oneLine(error: unknown): string {
  const { stderr, message } = error as { stderr?: string; message?: string };
  return (stderr || message || String(error)).trim().split('\n').at(-1) ?? '';
}
