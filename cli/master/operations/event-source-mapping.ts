/**
 * The deployed worker's SQS event source mapping: read its state, switch it off and on. Off is
 * the kill switch for a runaway run: messages stay queued, nothing is invoked, nothing is lost.
 * The Lambda client's package is loaded when one of these is asked for.
 */
import type { EventSourceMappingConfiguration, LambdaClient } from '@aws-sdk/client-lambda';
import { UsageError } from '../../../functions/wire/errors.js';
import { createLambdaClient } from '../../endpoint/clients.js';
import type { Target } from '../../endpoint/target.js';
import { explainAwsError } from '../../endpoint/aws-errors.js';

export type MappingState = {
  uuid: string;
  /** Enabled, Disabled, Enabling, Disabling, Creating, Updating, Deleting. */
  state: string;
  functionArn: string | undefined;
  batchSize: number | undefined;
  maximumBatchingWindowSeconds: number | undefined;
  maximumConcurrency: number | undefined;
  reportsBatchItemFailures: boolean;
};

/** The mapping's UUID: from the stack's outputs, else looked up by function and queue. */
async function mappingId(lambda: LambdaClient, target: Target): Promise<string> {
  if (target.stack?.eventSourceMappingId) return target.stack.eventSourceMappingId;
  if (!target.stack?.workerFunctionName) {
    throw new UsageError(`${target.where} has no deployed worker to pause, resume or inspect: these commands need --target aws (or a LocalStack endpoint with --stack NAME)`);
  }
  const { ListEventSourceMappingsCommand } = await import('@aws-sdk/client-lambda');
  const { EventSourceMappings } = await lambda.send(
    new ListEventSourceMappingsCommand({ FunctionName: target.stack.workerFunctionName, EventSourceArn: target.queues.dispatched.arn }),
  );
  const uuid = EventSourceMappings?.[0]?.UUID;
  if (!uuid) throw new UsageError(`no event source mapping from ${target.queues.dispatched.arn} to ${target.stack.workerFunctionName}`);
  return uuid;
}

function toState(mapping: EventSourceMappingConfiguration): MappingState {
  return {
    uuid: mapping.UUID!,
    state: mapping.State ?? 'Unknown',
    functionArn: mapping.FunctionArn,
    batchSize: mapping.BatchSize,
    maximumBatchingWindowSeconds: mapping.MaximumBatchingWindowInSeconds,
    maximumConcurrency: mapping.ScalingConfig?.MaximumConcurrency,
    reportsBatchItemFailures: mapping.FunctionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
  };
}

async function withLambda<T>(target: Target, work: (lambda: LambdaClient, uuid: string) => Promise<T>): Promise<T> {
  const lambda = await createLambdaClient(target.connection);
  try {
    return await work(lambda, await mappingId(lambda, target));
  } catch (error) {
    throw explainAwsError(error, 'Lambda', target);
  } finally {
    lambda.destroy();
  }
}

export function getMapping(target: Target): Promise<MappingState> {
  return withLambda(target, async (lambda, uuid) => {
    const { GetEventSourceMappingCommand } = await import('@aws-sdk/client-lambda');
    return toState(await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })));
  });
}

/** Enables or disables the mapping; resolves with its state as Lambda reports it right after. */
export function setMappingEnabled(target: Target, enabled: boolean): Promise<MappingState> {
  return withLambda(target, async (lambda, uuid) => {
    const { UpdateEventSourceMappingCommand } = await import('@aws-sdk/client-lambda');
    return toState(await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: enabled })));
  });
}
