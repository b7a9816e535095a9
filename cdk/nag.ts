/**
 * cdk-nag wiring shared by `cdk/app.ts` and the tests, so both check the same thing.
 *
 * cdk-nag 3 is a CDK policy-validation plugin: it runs after synthesis, writes its findings to the cloud
 * assembly's validation report, and any unacknowledged finding (error or warning) fails `cdk synth`.
 * Findings are acknowledged where they arise, with `Validations.of(construct).acknowledge({ id, reason })`
 * (see `Fanout`).
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** Registers the AWS Solutions pack on `app` and returns it, so tests can also run it directly (`validateScope`). */
export function addNagChecks(app: App): AwsSolutionsChecks {
  const pack = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(pack);
  return pack;
}
