/**
 * The SQS backends the integration suite runs on. Each test gets its own queues (a unique name
 * suffix), so tests can share one LocalStack. A suite runs on each of them with
 *
 *   describe.each(backendNames())('… on %s', (name) => {
 *     const backend = useBackend(name);
 *     it('…', async () => { const target = await backend.target(); … });
 *   });
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { startEmbeddedServer } from '../../cli/local/embedded-server.js';
import { openEndpointTarget } from '../../cli/endpoint/endpoint-target.js';
import type { LocalQueueOverrides } from '../../cli/endpoint/queues.js';
import type { Target } from '../../cli/endpoint/target.js';
import type { RequestCounter } from '../../cli/endpoint/clients.js';
import type { AccessKey } from '../../cli/endpoint/credentials.js';

/** A key as the AWS SDK's credential chain reads it from the environment (none: the chain's own). */
export function credentialsEnv(key: AccessKey | undefined): NodeJS.ProcessEnv {
  return key ? { AWS_ACCESS_KEY_ID: key.accessKeyId, AWS_SECRET_ACCESS_KEY: key.secretAccessKey } : {};
}

export type BackendName = 'embedded' | 'localstack';

export type Backend = {
  name: BackendName;
  endpoint: string;
  /** The key the embedded server requires; undefined for LocalStack (any key does). */
  credentials: AccessKey | undefined;
  /** Environment for a CLI given `--target <endpoint>`: the key, through the SDK's credential chain. */
  cliEnv: NodeJS.ProcessEnv;
  /** Fresh queues for one test, with the stack's attributes except for the overrides. */
  target(overrides?: Omit<LocalQueueOverrides, 'nameSuffix'>, counter?: RequestCounter): Promise<Target>;
  stop(): Promise<void>;
};

export async function startEmbeddedBackend(): Promise<Backend> {
  const server = await startEmbeddedServer();
  return backendAt('embedded', server.endpoint, () => server.close(), server.credentials);
}

export function backendAt(name: BackendName, endpoint: string, stop: () => Promise<void> = async () => {}, credentials?: AccessKey): Backend {
  const clients: Target[] = [];
  return {
    name,
    endpoint,
    credentials,
    cliEnv: credentialsEnv(credentials),
    async target(overrides = {}, counter) {
      const target = await openEndpointTarget(endpoint, { queues: { ...overrides, nameSuffix: randomBytes(4).toString('hex') }, counter, credentials });
      clients.push(target);
      return target;
    },
    async stop() {
      for (const client of clients) client.close();
      await stop();
    },
  };
}

/**
 * The backends this test run covers: always the embedded server; LocalStack too when the global
 * setup (or the user) provides LOCALSTACK_ENDPOINT.
 */
export function backendNames(): BackendName[] {
  return localstackEndpoint() ? ['embedded', 'localstack'] : ['embedded'];
}

function localstackEndpoint(): string | undefined {
  return process.env.LOCALSTACK_ENDPOINT || inject('localstackEndpoint');
}

export async function startBackend(name: BackendName): Promise<Backend> {
  if (name === 'embedded') return startEmbeddedBackend();
  const endpoint = localstackEndpoint();
  if (!endpoint) throw new Error('LOCALSTACK_ENDPOINT is not set');
  return backendAt('localstack', endpoint);
}

/** A backend as a describe block's tests see it: the block starts and stops it. */
export type UsedBackend = Omit<Backend, 'stop'>;

/**
 * The backend of the calling describe block: started before its tests, stopped after them (with
 * the clients of the queues they made). Call it first in the block: the block's own hooks then run
 * after it has started, and their cleanup before it stops.
 */
export function useBackend(name: BackendName): UsedBackend {
  let backend: Backend | undefined;
  beforeAll(async () => {
    backend = await startBackend(name);
  });
  afterAll(async () => {
    await backend?.stop();
    backend = undefined;
  });
  const started = (): Backend => {
    if (!backend) throw new Error(`the ${name} backend runs from its describe block's beforeAll to its afterAll: use it in tests and hooks`);
    return backend;
  };
  return {
    name,
    get endpoint() {
      return started().endpoint;
    },
    get credentials() {
      return started().credentials;
    },
    get cliEnv() {
      return started().cliEnv;
    },
    target: (overrides, counter) => started().target(overrides, counter),
  };
}
