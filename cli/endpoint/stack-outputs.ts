/**
 * A deployed stack's outputs (cdk/outputs.ts names them): from `cdk deploy --outputs-file`
 * (cdk-outputs.json) when one is given or present, else from CloudFormation DescribeStacks.
 */
import { readFile } from 'node:fs/promises';
import { STACK_OUTPUTS } from '../../functions/wire/stack-outputs.js';
import { UsageError } from '../../functions/wire/errors.js';
import { createCloudFormationClient } from './clients.js';
import type { Connection } from './connection.js';
import { explainAwsError } from './aws-errors.js';

export type StackOutputs = { [K in keyof typeof STACK_OUTPUTS]: string | undefined } & {
  /** The stack's name. */
  name: string;
  /** Where the outputs were read, for messages. */
  source: string;
};

export type StackOutputsOptions = {
  stack: string;
  /** A `cdk deploy --outputs-file` file. @default - ./cdk-outputs.json if it has the stack, else DescribeStacks */
  outputsFile?: string;
  /** Where CloudFormation is: AWS, or an endpoint serving it (LocalStack). */
  connection: Connection;
};

export async function readStackOutputs(options: StackOutputsOptions): Promise<StackOutputs> {
  const fromFile = await readOutputsFile(options.outputsFile ?? 'cdk-outputs.json', options.stack, options.outputsFile !== undefined);
  if (fromFile) return fromFile;
  return describeStack(options.stack, options.connection);
}

/** Parses the `{ "<stack>": { "<OutputKey>": "<value>" } }` shape `cdk deploy --outputs-file` writes. */
export function parseOutputsFile(text: string, stack: string, source: string): StackOutputs | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${source} is not JSON: expected the file written by \`cdk deploy --outputs-file\``);
  }
  const outputs = (json as Record<string, unknown> | null)?.[stack];
  if (outputs === undefined) return undefined;
  if (typeof outputs !== 'object' || outputs === null) throw new UsageError(`${source}: "${stack}" is not an object of outputs`);
  return pick(outputs as Record<string, unknown>, stack, `${source} (stack ${stack})`);
}

async function readOutputsFile(path: string, stack: string, required: boolean): Promise<StackOutputs | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    if (required) throw new UsageError(`cannot read outputs file ${path}: write it with \`npx cdk deploy --outputs-file ${path}\``);
    return undefined;
  }
  const outputs = parseOutputsFile(text, stack, path);
  if (!outputs && required) throw new UsageError(`${path} has no outputs for stack "${stack}" (pass --stack NAME)`);
  return outputs;
}

async function describeStack(stack: string, connection: Connection): Promise<StackOutputs> {
  const [{ DescribeStacksCommand }, cloudformation] = await Promise.all([import('@aws-sdk/client-cloudformation'), createCloudFormationClient(connection)]);
  const where = connection.kind === 'endpoint' ? connection.url : `AWS (${await cloudformation.config.region().catch(() => 'no region set')})`;
  try {
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stack }));
    const outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    return pick(outputs, stack, `stack ${stack} in ${where}`);
  } catch (error) {
    if ((error as { name?: string }).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      throw new UsageError(`stack ${stack} not found in ${where}: deploy it with \`npx cdk deploy\`, or name another with --stack`, { cause: error });
    }
    throw explainAwsError(error, 'CloudFormation', { where, connection });
  } finally {
    cloudformation.destroy();
  }
}

function pick(outputs: Record<string, unknown>, stack: string, source: string): StackOutputs {
  const value = (key: string) => (typeof outputs[key] === 'string' ? (outputs[key] as string) : undefined);
  const picked = Object.fromEntries(Object.entries(STACK_OUTPUTS).map(([field, key]) => [field, value(key)])) as StackOutputs;
  for (const required of ['dispatchedQueueUrl', 'finishedQueueUrl', 'deadLetterQueueUrl'] as const) {
    if (!picked[required]) {
      throw new UsageError(`${source} has no output ${STACK_OUTPUTS[required]}: is "${stack}" a fanout stack, deployed from this version?`);
    }
  }
  picked.source = source;
  picked.name = stack;
  return picked;
}
