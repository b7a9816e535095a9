import { describe, expect, it } from 'vitest';
import { STACK_OUTPUTS } from '../../functions/wire/stack-outputs.js';
import { parseOutputsFile } from '../../cli/endpoint/stack-outputs.js';

/** What `cdk deploy --outputs-file cdk-outputs.json` writes for our stack. */
const cdkOutputs = {
  Fanout: {
    [STACK_OUTPUTS.dispatchedQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fanout-dispatched',
    [STACK_OUTPUTS.finishedQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fanout-finished',
    [STACK_OUTPUTS.deadLetterQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/fanout-dead-letter',
    [STACK_OUTPUTS.workerFunctionName]: 'Fanout-FanoutWorker1234-abcd',
    [STACK_OUTPUTS.workerLogGroupName]: '/aws/lambda/Fanout-FanoutWorker1234-abcd',
    [STACK_OUTPUTS.eventSourceMappingId]: '6d9bce8e-836b-4b4a-8c3a-1b2c3d4e5f60',
  },
  SomeOtherStack: { BucketName: 'x' },
};

describe('parseOutputsFile', () => {
  it('reads the queues, function and mapping of the named stack', () => {
    const outputs = parseOutputsFile(JSON.stringify(cdkOutputs), 'Fanout', 'cdk-outputs.json');
    expect(outputs).toMatchObject({
      dispatchedQueueUrl: cdkOutputs.Fanout.DispatchedQueueUrl,
      finishedQueueUrl: cdkOutputs.Fanout.FinishedQueueUrl,
      deadLetterQueueUrl: cdkOutputs.Fanout.DeadLetterQueueUrl,
      workerFunctionName: 'Fanout-FanoutWorker1234-abcd',
      eventSourceMappingId: '6d9bce8e-836b-4b4a-8c3a-1b2c3d4e5f60',
      source: 'cdk-outputs.json (stack Fanout)',
    });
  });

  it('returns undefined when the file does not have the stack', () => {
    expect(parseOutputsFile(JSON.stringify(cdkOutputs), 'Elsewhere', 'f.json')).toBeUndefined();
  });

  it('fails if a queue output is missing, naming the output', () => {
    expect(() => parseOutputsFile(JSON.stringify(cdkOutputs), 'SomeOtherStack', 'f.json')).toThrow(
      'f.json (stack SomeOtherStack) has no output DispatchedQueueUrl: is "SomeOtherStack" a fanout stack, deployed from this version?',
    );
  });

  it('fails if the file is not JSON', () => {
    expect(() => parseOutputsFile('{', 'Fanout', 'f.json')).toThrow('f.json is not JSON');
  });
});
