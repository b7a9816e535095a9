import { Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, test } from 'vitest';
import type { FanoutProps } from '../../../cdk/fanout.js';
import { addNagChecks } from '../../../cdk/nag.js';
import { fanoutStack, testApp } from './helpers.js';

/** Every acknowledgement recorded in the tree: rule id, reason, construct path. */
function acknowledgements(root: IConstruct): { id: string; reason: string; path: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: construct.node.path,
        })),
      ),
  );
}

describe('cdk-nag (AwsSolutions)', () => {
  test('no unacknowledged finding, error or warning', () => {
    // GIVEN
    const { app } = fanoutStack();
    const pack = addNagChecks(app);

    // WHEN
    const report = pack.validateScope(app);

    // THEN
    expect(report.violations.map((v) => `${v.ruleName} (${v.severity}) at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('synthesis passes with the plugin registered as in cdk/app.ts', () => {
    // GIVEN
    const { app } = fanoutStack();
    addNagChecks(app);

    // WHEN / THEN: a violation would make synth throw
    expect(() => app.synth()).not.toThrow();
  });

  test('every acknowledgement names an AwsSolutions rule and gives a real reason', () => {
    // GIVEN / WHEN
    const { app } = fanoutStack();
    const acks = acknowledgements(app);

    // THEN
    const runQueues = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sqs:<AWS::Region>:<AWS::AccountId>:fanout-finished-*]';
    expect(acks.map((a) => `${a.id} at ${a.path}`).sort()).toEqual([
      'AwsSolutions-IAM5[Resource::*] at Fanout/Fanout/MasterPolicy',
      `${runQueues} at Fanout/Fanout/MasterPolicy`,
      `${runQueues} at Fanout/Fanout/WorkerRole`,
      'AwsSolutions-SQS3 at Fanout/Fanout/Finished',
    ]);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.split(/\s+/).length).toBeGreaterThanOrEqual(12);
    }
  });

  test.each<[string, FanoutProps]>([
    ['provisioned mode', { provisionedPollers: { minimum: 2, maximum: 20 } }],
    ['reserved concurrency', { reservedConcurrency: 100 }],
  ])('no unacknowledged finding with %s', (_, props) => {
    // GIVEN
    const { app } = fanoutStack(props);
    const pack = addNagChecks(app);

    // WHEN
    const report = pack.validateScope(app);

    // THEN
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  test('fails on a queue that ignores the rules (the checks really run)', () => {
    // GIVEN
    const app = testApp();
    new sqs.Queue(new Stack(app, 'Bare'), 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const pack = addNagChecks(app);

    // WHEN
    const report = pack.validateScope(app);

    // THEN
    expect(report.violations.map((v) => v.ruleName).sort()).toEqual(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']);
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });
});
