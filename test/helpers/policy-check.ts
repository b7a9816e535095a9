/**
 * Are the stack's IAM policies enough? LocalStack does not enforce IAM, so the deployed-stack tests
 * record every AWS request the CLI and the worker make there (scripts/localstack/plugin/
 * fanout_localstack/request_log.py, by access key) and check each here against the policy its
 * principal would have on AWS: the worker role's policies, the MasterPolicy. Each request becomes
 * the IAM actions it needs on the resource it names (the Service Authorization Reference's
 * actions and ARN formats); a statement grants it when its action and resource patterns match.
 */

/** One request as the plugin records it. */
export type RecordedRequest = {
  service: string;
  operation: string;
  region: string;
  account: string;
  status: number;
  parameters: Record<string, string | string[]>;
};

/** What a request needs: an action on a resource ARN ("*" for actions IAM authorises on nothing else). */
export type Permission = { action: string; resource: string; operation: string };

export type PolicyStatement = { Sid?: string; Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[]; Condition?: unknown };
export type PolicyDocument = { Statement: PolicyStatement[] };

/** Where names are turned into ARNs the request does not carry whole. */
export type ArnContext = {
  /** A stack's ARN (with its id) by name: DescribeStacks names the stack, IAM authorises its ARN. */
  stackArn: (name: string) => string;
};

/** SQS batch operations are authorised by their single-message action (the SQS API permissions reference). */
const SQS_ACTION_OF: Record<string, string> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

/** The permissions one request needs; a request this does not know throws, so that it is looked at. */
export function permissionsFor(request: RecordedRequest, arns: ArnContext): Permission[] {
  const { service, operation, region, account, parameters: p } = request;
  const need = (action: string, resource: string): Permission => ({ action, resource, operation });
  const text = (name: string) => (typeof p[name] === 'string' ? (p[name] as string) : undefined);
  if (service === 'sqs') {
    if (operation === 'ListQueues') return [need('sqs:ListQueues', '*')];
    const name = text('QueueName') ?? queueNameInUrl(text('QueueUrl'));
    if (!name) throw new Error(`sqs ${operation} names no queue: ${JSON.stringify(p)}`);
    const arn = `arn:aws:sqs:${region}:${account}:${name}`;
    const needs = [need(`sqs:${SQS_ACTION_OF[operation] ?? operation}`, arn)];
    // CreateQueue's API reference: tagging a queue at its creation needs sqs:TagQueue too.
    if (operation === 'CreateQueue' && Array.isArray(p.tags) && p.tags.length > 0) needs.push(need('sqs:TagQueue', arn));
    return needs;
  }
  if (service === 'lambda' && /^(Get|Update|Delete)EventSourceMapping$/.test(operation)) {
    return [need(`lambda:${operation}`, `arn:aws:lambda:${region}:${account}:event-source-mapping:${text('UUID')}`)];
  }
  if (service === 'cloudformation' && operation === 'DescribeStacks') {
    const stack = text('StackName');
    if (!stack) return [need('cloudformation:DescribeStacks', '*')];
    return [need('cloudformation:DescribeStacks', stack.startsWith('arn:') ? stack : arns.stackArn(stack))];
  }
  throw new Error(`no IAM mapping for ${service} ${operation} (${JSON.stringify(p)}): add it to test/helpers/policy-check.ts`);
}

/** The queue name of a queue URL (…/<account>/<name>, whatever the host and path style). */
function queueNameInUrl(url: string | undefined): string | undefined {
  return url ? new URL(url).pathname.split('/').filter(Boolean).at(-1) : undefined;
}

/** IAM's wildcards: `*` any run of characters, `?` one; actions match case-insensitively. */
function matches(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** Allowed by a statement without conditions, and denied by none. */
export function isGranted(permission: Permission, documents: readonly PolicyDocument[]): boolean {
  const statements = documents.flatMap((d) => d.Statement);
  const applies = (s: PolicyStatement) =>
    list(s.Action).some((a) => matches(a, permission.action, true)) && list(s.Resource).some((r) => matches(r, permission.resource, false));
  if (statements.some((s) => s.Effect === 'Deny' && applies(s))) return false;
  return statements.some((s) => s.Effect === 'Allow' && s.Condition === undefined && applies(s));
}

export type PolicyCheck = { checked: Permission[]; missing: Permission[] };

/** Every permission the requests need, and those the documents do not grant (each once). */
export function checkPolicies(requests: readonly RecordedRequest[], documents: readonly PolicyDocument[], arns: ArnContext): PolicyCheck {
  const unique = new Map<string, Permission>();
  for (const request of requests) {
    for (const permission of permissionsFor(request, arns)) unique.set(`${permission.action} ${permission.resource}`, permission);
  }
  const checked = [...unique.values()].sort((a, b) => `${a.action} ${a.resource}`.localeCompare(`${b.action} ${b.resource}`));
  return { checked, missing: checked.filter((permission) => !isGranted(permission, documents)) };
}

/** A document without one grant: `action` dropped from the statement `sid` (the statement goes if nothing is left). */
export function withoutGrant(document: PolicyDocument, sid: string | undefined, action: string): PolicyDocument {
  let found = false;
  const statements = document.Statement.flatMap((s) => {
    if (s.Sid !== sid || !list(s.Action).includes(action)) return [s];
    found = true;
    const rest = list(s.Action).filter((a) => a !== action);
    return rest.length > 0 ? [{ ...s, Action: rest }] : [];
  });
  if (!found) throw new Error(`no statement ${sid ?? '(without Sid)'} grants ${action}`);
  return { ...document, Statement: statements };
}
