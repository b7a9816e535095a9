/**
 * The fan-out infrastructure for embedding in another CDK app. The CLI must not import this file
 * (it pulls in aws-cdk-lib): it imports `cdk/outputs.js`, which has no dependencies.
 */
export { FanoutPropsError } from './errors.js';
export { Fanout, POWERTOOLS_SERVICE_NAME, type FanoutProps } from './fanout.js';
export { addNagChecks } from './nag.js';
export { DEFAULT_STACK_NAME, STACK_OUTPUTS, type StackOutputKey } from '../functions/wire/stack-outputs.js';
export { FanoutStack, type FanoutStackProps } from './stack.js';
export { WORKER_LOG_LEVELS, type WorkerLogLevel } from './validation.js';
