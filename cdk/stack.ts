/**
 * `FanoutStack`: a stack holding one `Fanout` and the outputs the CLI reads (`STACK_OUTPUTS`).
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Fanout, type FanoutProps } from './fanout.js';
import { STACK_OUTPUTS } from '../functions/wire/stack-outputs.js';

/** Properties of a `FanoutStack`: the stack's own plus those of its `Fanout`. */
export interface FanoutStackProps extends StackProps {
  /**
   * Properties of the stack's `Fanout`.
   *
   * @default - `Fanout`'s defaults
   */
  readonly fanout?: FanoutProps;
}

/** One `Fanout` (construct ID `Fanout`) and a CloudFormation output per `STACK_OUTPUTS` key. */
export class FanoutStack extends Stack {
  /** The stack's queues and worker. */
  public readonly fanout: Fanout;

  public constructor(scope: Construct, id: string, props: FanoutStackProps = {}) {
    super(scope, id, props);

    this.fanout = new Fanout(this, 'Fanout', props.fanout);

    // Top-level outputs: the construct ID is the output key, with no hash appended.
    const outputs: Record<keyof typeof STACK_OUTPUTS, { value: string; description: string }> = {
      dispatchedQueueUrl: { value: this.fanout.dispatched.queueUrl, description: 'Queue the master sends jobs to' },
      finishedQueueUrl: { value: this.fanout.finished.queueUrl, description: 'Queue the worker sends results to' },
      deadLetterQueueUrl: { value: this.fanout.deadLetter.queueUrl, description: 'Jobs that failed every delivery' },
      workerFunctionName: { value: this.fanout.worker.functionName, description: 'Worker Lambda function' },
      workerLogGroupName: { value: this.fanout.logGroup.logGroupName, description: "Worker's log group" },
      eventSourceMappingId: {
        value: this.fanout.eventSourceMappingId,
        description: 'Event source mapping dispatched → worker (pause / resume)',
      },
      masterPolicyArn: { value: this.fanout.masterPolicy.managedPolicyArn, description: 'Attach to whoever runs fanout dispatch / collect' },
    };
    for (const [key, output] of Object.entries(outputs)) {
      new CfnOutput(this, STACK_OUTPUTS[key as keyof typeof STACK_OUTPUTS], output);
    }
  }
}
