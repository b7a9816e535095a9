/**
 * A stand-in for the deployed stack on LocalStack: the stack's outputs (cdk/outputs.ts) over real
 * queues made by CloudFormation, and a real Lambda function and event source mapping made through
 * the Lambda API. (The CDK template itself needs a bootstrapped account with asset buckets, and
 * LocalStack's CloudFormation cannot create a function offline: it downloads a runtime first.
 * The Lambda API stores the function without running it, which these tests never need.)
 */
import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  LambdaClient,
} from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { STACK_OUTPUTS } from '../../functions/wire/stack-outputs.js';
import { QUEUES } from '../../functions/wire/constants.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../cli/endpoint/credentials.js';

export function fanoutLikeTemplate(prefix: string): object {
  return {
    Resources: {
      DeadLetter: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${prefix}-${QUEUES.deadLetter.name}` } },
      Dispatched: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          QueueName: `${prefix}-${QUEUES.dispatched.name}`,
          VisibilityTimeout: QUEUES.dispatched.visibilityTimeoutSeconds,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['DeadLetter', 'Arn'] }, maxReceiveCount: QUEUES.dispatched.maxReceiveCount },
        },
      },
      Finished: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${prefix}-${QUEUES.finished.name}` } },
    },
    Outputs: {
      [STACK_OUTPUTS.dispatchedQueueUrl]: { Value: { Ref: 'Dispatched' } },
      [STACK_OUTPUTS.finishedQueueUrl]: { Value: { Ref: 'Finished' } },
      [STACK_OUTPUTS.deadLetterQueueUrl]: { Value: { Ref: 'DeadLetter' } },
      // No EventSourceMappingId output: the CLI then finds the mapping by function and queue.
      [STACK_OUTPUTS.workerFunctionName]: { Value: workerName(prefix) },
    },
  };
}

function workerName(prefix: string): string {
  return `${prefix}-worker`;
}

/** A zip archive holding one stored (uncompressed) file: enough for CreateFunction. */
function zipOf(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const localSize = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(localSize, 16);
  return Buffer.concat([local, Buffer.from(name), data, central, Buffer.from(name), end]);
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Creates the stack, the function and a disabled mapping; returns a function that deletes them. */
export async function createStack(endpoint: string, name: string): Promise<() => Promise<void>> {
  const config = { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const cloudformation = new CloudFormationClient(config);
  await cloudformation.send(new CreateStackCommand({ StackName: name, TemplateBody: JSON.stringify(fanoutLikeTemplate(name)) }));
  for (let i = 0; ; i++) {
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: name }));
    const status = Stacks?.[0]?.StackStatus ?? '';
    if (status === 'CREATE_COMPLETE') break;
    if (status.includes('FAILED') || status.includes('ROLLBACK') || i > 100) throw new Error(`stack ${name}: ${status} ${Stacks?.[0]?.StackStatusReason ?? ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const lambda = new LambdaClient(config);
  const sqs = new SQSClient(config);
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: `${name}-${QUEUES.dispatched.name}` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: workerName(name),
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/fanout-worker',
      Code: { ZipFile: zipOf('index.mjs', 'export const handler = async () => ({ batchItemFailures: [] });\n') },
    }),
  );
  const { UUID } = await lambda.send(
    new CreateEventSourceMappingCommand({
      FunctionName: workerName(name),
      EventSourceArn: Attributes!.QueueArn,
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 50 },
      // Nothing should poll: LocalStack cannot run the function without Docker.
      Enabled: false,
    }),
  );
  return async () => {
    await lambda.send(new DeleteEventSourceMappingCommand({ UUID })).catch(() => {});
    await lambda.send(new DeleteFunctionCommand({ FunctionName: workerName(name) })).catch(() => {});
    await cloudformation.send(new DeleteStackCommand({ StackName: name })).catch(() => {});
    for (const client of [cloudformation, lambda, sqs]) client.destroy();
  };
}
