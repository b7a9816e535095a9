/**
 * Builds fan-out apps for the CDK tests the way `cdk/app.ts` does, minus the slow parts:
 * the context of cdk.json (so feature flags match `cdk synth`), no esbuild bundling
 * (`aws:cdk:bundling-stacks: []`) and no built-in CloudFormation validation.
 */
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { FanoutProps } from '../../../cdk/fanout.js';
import { FanoutStack } from '../../../cdk/stack.js';

const CDK_JSON = new URL('../../../cdk.json', import.meta.url);

/** The `context` block of cdk.json. */
export function cdkJsonContext(): Record<string, unknown> {
  const json = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context?: Record<string, unknown> };
  return json.context ?? {};
}

/** An app with cdk.json's context that skips bundling and built-in template validation. */
export function testApp(): App {
  return new App({
    context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
  });
}

/** A `FanoutStack` named `Fanout` in a fresh `testApp()`. */
export function fanoutStack(props?: FanoutProps): { app: App; stack: FanoutStack } {
  const app = testApp();
  const stack = new FanoutStack(app, 'Fanout', { fanout: props });
  return { app, stack };
}

/** The template of a `FanoutStack` built with `props`. */
export function fanoutTemplate(props?: FanoutProps): Template {
  return Template.fromStack(fanoutStack(props).stack);
}
