/**
 * The CDK app (`cdk.json`: `npx tsx cdk/app.ts`).
 *
 * Context values (`--context key=value`):
 * - `stackName`: the stack's name, default `DEFAULT_STACK_NAME` ('Fanout').
 * - `queueNamePrefix`: see `FanoutProps.queueNamePrefix`. Default: none for the default stack name, and
 *   `<stackName>-` otherwise, so that a second stack in the same account and region gets its own queues.
 */
import { App } from 'aws-cdk-lib';
import { addNagChecks } from './nag.js';
import { DEFAULT_STACK_NAME } from '../functions/wire/stack-outputs.js';
import { FanoutStack } from './stack.js';

const app = new App();
const stackName = contextString(app, 'stackName') ?? DEFAULT_STACK_NAME;
const queueNamePrefix =
  contextString(app, 'queueNamePrefix') ?? (stackName === DEFAULT_STACK_NAME ? '' : `${stackName}-`);

new FanoutStack(app, stackName, {
  description: 'fanout: SQS queues and a Lambda worker that run fanned-out jobs',
  fanout: { queueNamePrefix },
});
addNagChecks(app);

function contextString(scope: App, key: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new Error(`Context value '${key}' must be a string (given ${JSON.stringify(value)}).`);
  }
  return value;
}
