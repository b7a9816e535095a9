import * as cxapi from 'aws-cdk-lib/cx-api';
import { describe, expect, test } from 'vitest';
import { cdkJsonContext } from './helpers.js';

/**
 * Flags cdk.json sets away from the installed aws-cdk-lib's recommendation, each for a reason
 * (cdk.json cannot hold comments; the README's "Deploy to AWS" repeats them).
 */
const DELIBERATE_EXCEPTIONS: Record<string, unknown> = {
  // Extra construct metadata in the AWS::CDK::Metadata resource is usage telemetry sent to AWS;
  // fanout sends none (`cli-telemetry: false` too).
  '@aws-cdk/core:enableAdditionalMetadataCollection': false,
};

describe('cdk.json feature flags', () => {
  test("sets every flag of the installed aws-cdk-lib, to its recommended value or a deliberate exception", () => {
    // GIVEN
    const context = cdkJsonContext();
    const expired = new Set<string>(cxapi.CURRENT_VERSION_EXPIRED_FLAGS);
    const flags = Object.entries(cxapi.FLAGS).filter(([name]) => !expired.has(name));

    // WHEN
    const unset = flags.filter(([name]) => !(name in context)).map(([name]) => name);
    const differing = flags
      .filter(([name, flag]) => name in context && JSON.stringify(context[name]) !== JSON.stringify(flag.recommendedValue))
      .map(([name]) => name);

    // THEN: after an aws-cdk-lib upgrade, `npx cdk flags --unstable=flags --set --unconfigured --recommended`
    // adds the new ones; check that `cdk synth`'s template does not change (or say why it does).
    expect(unset).toEqual([]);
    expect(Object.fromEntries(differing.map((name) => [name, context[name]]))).toEqual(DELIBERATE_EXCEPTIONS);
  });
});
