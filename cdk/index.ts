/**
 * `fanout/cdk`: the fan-out infrastructure for embedding in another CDK app. The CLI must not import
 * this file (it pulls in aws-cdk-lib). cdk-nag's checks are apart, in `fanout/cdk/nag` (`cdk/nag.ts`),
 * so that this entry loads without cdk-nag installed.
 */
export { FanoutPropsError } from './errors.js';
export { Fanout, type FanoutProps } from './fanout.js';
export type { ProvisionedPollers } from './fanout-props.js';
export { DEFAULT_STACK_NAME, STACK_OUTPUTS, type StackOutputKey } from '../functions/wire/stack-outputs.js';
export { FanoutStack, type FanoutStackProps } from './stack.js';
export { WORKER_LOG_LEVELS, type WorkerLogLevel } from './validation.js';
