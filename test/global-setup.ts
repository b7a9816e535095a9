/**
 * Brings LocalStack up for the `localstack` backend of the integration suite, and down again.
 *
 * - LOCALSTACK_ENDPOINT set: that LocalStack is used as it is (and left running).
 * - FANOUT_BACKENDS=embedded: the LocalStack tier is skipped on purpose.
 * - Otherwise scripts/localstack.sh starts one (Docker if an engine answers, else host mode from
 *   PyPI) and stops it afterwards, unless it was already running. If it cannot (no Docker, no
 *   Python ≥ 3.12), the tier is skipped with a loud message — or, with REQUIRE_LOCALSTACK=1
 *   (as in CI), the run fails.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

const run = promisify(execFile);
const script = new URL('../scripts/localstack.sh', import.meta.url).pathname;

declare module 'vitest' {
  export interface ProvidedContext {
    localstackEndpoint: string | undefined;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const provide = (endpoint: string | undefined) => {
    if (endpoint) process.env.LOCALSTACK_ENDPOINT = endpoint;
    project.provide('localstackEndpoint', endpoint);
  };
  if (process.env.LOCALSTACK_ENDPOINT) {
    provide(process.env.LOCALSTACK_ENDPOINT);
    return undefined;
  }
  if (process.env.FANOUT_BACKENDS === 'embedded') {
    provide(undefined);
    return undefined;
  }
  // SQS for the backend tier; CloudFormation and Lambda for the deployed-stack tests (status, pause, resume).
  process.env.LOCALSTACK_SERVICES ??= 'sqs,cloudformation,lambda,iam,sts';
  const alreadyUp = await run('bash', [script, 'status']).then(() => true, () => false);
  const started = performance.now();
  try {
    const { stdout } = await run('bash', [script, 'start'], { maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
    const endpoint = stdout.trim().split('\n').at(-1)!;
    process.stderr.write(`[localstack] ${alreadyUp ? 'reusing' : 'started'} ${endpoint} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    provide(endpoint);
  } catch (error) {
    const { code, stderr } = error as { code?: number; stderr?: string };
    const why = `${stderr?.trim().split('\n').slice(-5).join('\n') ?? ''}`;
    if (code === 3 && process.env.REQUIRE_LOCALSTACK !== '1') {
      process.stderr.write(`\n${'!'.repeat(78)}\n[localstack] NOT AVAILABLE: the LocalStack tier of the integration suite is SKIPPED.\n${why}\n${'!'.repeat(78)}\n\n`);
      provide(undefined);
      return undefined;
    }
    throw new Error(`LocalStack could not be started (exit ${code}); REQUIRE_LOCALSTACK=${process.env.REQUIRE_LOCALSTACK ?? ''}\n${why}`);
  }
  if (alreadyUp) return undefined;
  return async () => {
    await run('bash', [script, 'stop']).catch((error: unknown) => process.stderr.write(`[localstack] stop failed: ${String(error)}\n`));
  };
}
