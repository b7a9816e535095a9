/**
 * The contract between the stack and the CLI: the stack's default name and its CloudFormation output keys.
 * The CLI reads these keys from `DescribeStacks` or from `cdk-outputs.json`
 * (`{ "<stack name>": { "<output key>": "<value>" } }`); renaming one breaks deployed stacks' readers.
 */

/** The stack name used by `cdk/app.ts` unless the `stackName` context value overrides it. */
export const DEFAULT_STACK_NAME = 'Fanout';

/** CloudFormation output keys of `FanoutStack`. */
export const STACK_OUTPUTS = {
  /** URL of the queue the master sends jobs to. */
  dispatchedQueueUrl: 'DispatchedQueueUrl',
  /** URL of the queue the worker sends results to. */
  finishedQueueUrl: 'FinishedQueueUrl',
  /** URL of the dead-letter queue that receives jobs after `QUEUES.dispatched.maxReceiveCount` failed deliveries. */
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  /** Name of the worker Lambda function. */
  workerFunctionName: 'WorkerFunctionName',
  /** Name of the worker's CloudWatch Logs log group. */
  workerLogGroupName: 'WorkerLogGroupName',
  /** UUID of the SQS → Lambda event source mapping (for pause / resume / status). */
  eventSourceMappingId: 'EventSourceMappingId',
  /** ARN of the managed policy that lets a role or user run the master (dispatch, collect, redrive, status, pause). */
  masterPolicyArn: 'MasterPolicyArn',
} as const;

/** One of the output keys in `STACK_OUTPUTS`. */
export type StackOutputKey = (typeof STACK_OUTPUTS)[keyof typeof STACK_OUTPUTS];
