import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { STACK_OUTPUTS } from '../../../functions/wire/stack-outputs.js';
import { fanoutStack } from './helpers.js';

describe('FanoutStack', () => {
  test('outputs every STACK_OUTPUTS key, and nothing else', () => {
    // GIVEN / WHEN
    const { stack } = fanoutStack();
    const template = Template.fromStack(stack);

    // THEN
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(Object.values(STACK_OUTPUTS).sort());
  });

  test('outputs point at the right resources', () => {
    // GIVEN / WHEN
    const { stack } = fanoutStack();
    const template = Template.fromStack(stack);
    const ref = (construct: { node: { defaultChild?: unknown } }) => ({
      Ref: stack.getLogicalId(construct.node.defaultChild as never),
    });

    // THEN
    const { fanout } = stack;
    template.hasOutput(STACK_OUTPUTS.dispatchedQueueUrl, { Value: ref(fanout.dispatched) });
    template.hasOutput(STACK_OUTPUTS.finishedQueueUrl, { Value: ref(fanout.finished) });
    template.hasOutput(STACK_OUTPUTS.deadLetterQueueUrl, { Value: ref(fanout.deadLetter) });
    template.hasOutput(STACK_OUTPUTS.workerFunctionName, { Value: ref(fanout.worker) });
    template.hasOutput(STACK_OUTPUTS.workerLogGroupName, { Value: ref(fanout.logGroup) });
    const mappings = Object.keys(template.findResources('AWS::Lambda::EventSourceMapping'));
    expect(mappings).toHaveLength(1);
    template.hasOutput(STACK_OUTPUTS.eventSourceMappingId, { Value: { Ref: mappings[0] } });
  });

  test('passes fanout props through', () => {
    // GIVEN / WHEN
    const template = Template.fromStack(fanoutStack({ maxConcurrency: 7 }).stack);

    // THEN
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { ScalingConfig: { MaximumConcurrency: 7 } });
  });
});
