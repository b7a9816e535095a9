/**
 * The IAM policies of a deployed FanoutStack as synthesized: read from the cloud assembly `cdk
 * deploy` made (its template), with the template's references resolved against what
 * CloudFormation created (DescribeStackResources): the worker role's policies, and the
 * MasterPolicy. What the policy check (policy-check.ts) holds each recorded request against.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeStackResourcesCommand, DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { PolicyDocument } from './policy-check.js';

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

export type StackPolicies = {
  /** Every policy on the worker function's role (inline and attached in the template). */
  worker: PolicyDocument[];
  master: PolicyDocument;
  stackArn: string;
};

type Scope = { region: string; account: string; stackArn: string; physical: Map<string, string>; resources: Template['Resources'] };

export async function synthesizedPolicies(cloudformation: CloudFormationClient, assembly: string, stack: string): Promise<StackPolicies> {
  const template = JSON.parse(await readFile(join(assembly, `${stack}.template.json`), 'utf8')) as Template;
  const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stack }));
  const stackArn = Stacks![0]!.StackId!;
  const { StackResources = [] } = await cloudformation.send(new DescribeStackResourcesCommand({ StackName: stack }));
  const [, , , region, account] = stackArn.split(':') as [string, string, string, string, string];
  const scope: Scope = { region, account, stackArn, physical: new Map(StackResources.map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!])), resources: template.Resources };

  const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
  const functions = ofType('AWS::Lambda::Function');
  if (functions.length !== 1) throw new Error(`${stack}: expected one Lambda function, found ${functions.length}`);
  const role = getAttTarget(functions[0]![1].Properties?.Role);
  const roleProps = template.Resources[role]?.Properties ?? {};
  if (roleProps.ManagedPolicyArns) throw new Error(`${stack}: the worker role has managed policies attached, which this check cannot read`);
  const inline = ((roleProps.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? []).map((p) => p.PolicyDocument);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, r]) => (r.Properties?.Roles as Array<{ Ref?: string }> | undefined)?.some((ref) => ref.Ref === role))
    .map(([, r]) => r.Properties!.PolicyDocument);
  const masters = ofType('AWS::IAM::ManagedPolicy').filter(([id]) => id.startsWith('FanoutMasterPolicy'));
  if (masters.length !== 1) throw new Error(`${stack}: expected one MasterPolicy, found ${masters.length}`);
  return {
    worker: [...inline, ...attached].map((document) => resolve(document, scope) as PolicyDocument),
    master: resolve(masters[0]![1].Properties!.PolicyDocument, scope) as PolicyDocument,
    stackArn,
  };
}

function getAttTarget(value: unknown): string {
  const target = (value as { 'Fn::GetAtt'?: [string, string] } | undefined)?.['Fn::GetAtt']?.[0];
  if (!target) throw new Error(`expected an Fn::GetAtt, got ${JSON.stringify(value)}`);
  return target;
}

/** The template value with Ref, Fn::GetAtt (…Arn) and Fn::Join replaced by what they stand for. */
function resolve(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, scope));
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return ref(object.Ref as string, scope);
  if ('Fn::GetAtt' in object) return arnOf((object['Fn::GetAtt'] as [string, string])[0], (object['Fn::GetAtt'] as [string, string])[1], scope);
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, scope)).join(separator);
  }
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, resolve(item, scope)]));
}

function ref(name: string, scope: Scope): string {
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': scope.region, 'AWS::AccountId': scope.account, 'AWS::StackId': scope.stackArn, 'AWS::URLSuffix': 'amazonaws.com' };
  const value = pseudo[name] ?? scope.physical.get(name);
  if (value === undefined) throw new Error(`cannot resolve Ref ${name}`);
  return value;
}

/** The ARN of a created resource, from its physical ID, in its service's ARN format. */
function arnOf(logicalId: string, attribute: string, scope: Scope): string {
  const physical = scope.physical.get(logicalId);
  const type = scope.resources[logicalId]?.Type;
  if (attribute !== 'Arn' || physical === undefined) throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
  const { region, account } = scope;
  // A queue's physical ID is its URL; its name is the last segment.
  if (type === 'AWS::SQS::Queue') return `arn:aws:sqs:${region}:${account}:${physical.split('/').at(-1)}`;
  if (type === 'AWS::Logs::LogGroup') return `arn:aws:logs:${region}:${account}:log-group:${physical}:*`;
  if (type === 'AWS::IAM::Role') return `arn:aws:iam::${account}:role/${physical}`;
  throw new Error(`no ARN format for ${type} (${logicalId})`);
}
