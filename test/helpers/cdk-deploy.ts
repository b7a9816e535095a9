/**
 * The CDK CLI against LocalStack, as a user runs it: `cdk bootstrap`, `cdk deploy` (synth with
 * esbuild bundling, asset upload to the bootstrap bucket, CloudFormation), `cdk destroy`.
 * Every SDK client of the CLI goes to the endpoint through AWS_ENDPOINT_URL; a loopback endpoint
 * also makes its S3 clients path-style, so no *.localhost.localstack.cloud name has to resolve.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sdkEnv } from '../../scripts/localstack/lifecycle.js';
import { scratchDir } from './scratch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CDK = join(root, 'node_modules', '.bin', 'cdk');
/** LocalStack's default account, and the region of sdkEnv. */
export const LOCALSTACK_ACCOUNT = '000000000000';

export type CdkRun = { ms: number; output: string };

/** The CLI's environment: LocalStack's endpoint and placeholder credentials, no network call of its own. */
function cdkEnv(endpoint: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...sdkEnv(endpoint), CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true', FORCE_COLOR: '0' };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL_SQS', 'AWS_ENDPOINT_URL_S3']) delete env[name];
  return env;
}

/** Runs the CDK CLI to its end; a failure throws with the command's last lines. */
function cdk(args: string[], endpoint: string, cwd: string): Promise<CdkRun> {
  const started = performance.now();
  const child = spawn(CDK, [...args, '--no-color', '--no-notices'], { cwd, env: cdkEnv(endpoint), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = Math.round(performance.now() - started);
      if (code === 0) resolve({ ms, output });
      else reject(new Error(`cdk ${args.join(' ')} (in ${cwd}) exited ${code} after ${ms} ms:\n${output.trim().split('\n').slice(-30).join('\n')}`));
    });
  });
}

/**
 * Bootstraps LocalStack's account once per LocalStack (again is quick: "no changes"). From a
 * directory without cdk.json: inside a project the CLI would also synthesize the app, with
 * bundling skipped, and stage the whole project directory as the asset.
 */
export async function bootstrap(endpoint: string): Promise<CdkRun> {
  return cdk(['bootstrap', `aws://${LOCALSTACK_ACCOUNT}/us-east-1`], endpoint, await scratchDir('cdk-bootstrap-'));
}

export type DeployOptions = {
  endpoint: string;
  stack: string;
  /** Where the CLI runs: the project (its cdk.json names the app, unless `app` does). */
  cwd: string;
  /** `--app`, for a project whose cdk.json does not name it. */
  app?: string;
  context?: Record<string, string>;
};

export type Deployed = CdkRun & {
  stack: string;
  /** The stack's outputs, as `cdk deploy --outputs-file` wrote them. */
  outputs: Record<string, string>;
  outputsFile: string;
  /** The cloud assembly the deploy synthesized (template and assets), for `cdk destroy --app`. */
  assembly: string;
};

/** `cdk deploy` of one stack, synthesizing into a scratch directory. */
export async function deploy(options: DeployOptions): Promise<Deployed> {
  const work = await scratchDir(`cdk-${options.stack}-`);
  const assembly = join(work, 'cdk.out');
  const outputsFile = join(work, 'cdk-outputs.json');
  await mkdir(assembly, { recursive: true });
  const args = ['deploy', options.stack, '--require-approval', 'never', '--output', assembly, '--outputs-file', outputsFile];
  if (options.app) args.push('--app', options.app);
  for (const [key, value] of Object.entries(options.context ?? {})) args.push('--context', `${key}=${value}`);
  const run = await cdk(args, options.endpoint, options.cwd);
  const outputs = (JSON.parse(await readFile(outputsFile, 'utf8')) as Record<string, Record<string, string>>)[options.stack];
  if (!outputs) throw new Error(`cdk deploy wrote no outputs for ${options.stack} in ${outputsFile}`);
  return { ...run, stack: options.stack, outputs, outputsFile, assembly };
}

/** `cdk destroy` from the assembly the deploy made (no synth again). */
export function destroy(endpoint: string, deployed: Deployed): Promise<CdkRun> {
  return cdk(['destroy', deployed.stack, '--force', '--app', deployed.assembly], endpoint, root);
}
