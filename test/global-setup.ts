/**
 * Brings LocalStack up for the `localstack` backend of the integration suite, and down again.
 *
 * - LOCALSTACK_ENDPOINT set: that LocalStack is used as it is (and left running).
 * - FANOUT_BACKENDS=embedded: the LocalStack tier is skipped on purpose.
 * - Otherwise scripts/localstack/lifecycle.ts starts one (Docker if an engine answers, else host
 *   mode from PyPI) and stops it afterwards, unless it was already running. If it cannot (no
 *   Docker, no Python ≥ 3.12), the tier is skipped with a loud message — or, with
 *   REQUIRE_LOCALSTACK=1 (as in CI), the run fails.
 */
import type { TestProject } from 'vitest/node';
import { LocalStackUnavailableError, unavailableBanner } from '../scripts/localstack/errors.js';
import { start, stop } from '../scripts/localstack/lifecycle.js';

/** Without `ecr`, which cannot load without Docker (the stack has no image asset). */
export const LOCALSTACK_TEST_SERVICES = 'sqs,s3,iam,sts,ssm,lambda,cloudformation,logs,cloudwatch';

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
  // SQS for the backend tier; for the deployed-stack tests, what `cdk bootstrap` and `cdk deploy` of the
  // real stack create (S3 and SSM for the bootstrap, logs and CloudWatch for the log group and alarms).
  const services = process.env.LOCALSTACK_SERVICES || LOCALSTACK_TEST_SERVICES;
  const began = performance.now();
  try {
    const { endpoint, started } = await start({ services });
    process.stderr.write(`[localstack] ${started ? 'started' : 'reusing'} ${endpoint} (${((performance.now() - began) / 1000).toFixed(1)} s)\n`);
    provide(endpoint);
    if (!started) return undefined;
  } catch (error) {
    // Under REQUIRE_LOCALSTACK=1, start throws a plain LocalStackError instead: the run fails.
    if (!(error instanceof LocalStackUnavailableError)) throw error;
    process.stderr.write(`\n${unavailableBanner(error, 'The LocalStack tier of the integration suite is SKIPPED (REQUIRE_LOCALSTACK=1 fails instead).')}\n`);
    provide(undefined);
    return undefined;
  }
  return async () => {
    await stop({ services }).catch((error: unknown) => process.stderr.write(`[localstack] stop failed: ${String(error)}\n`));
  };
}
