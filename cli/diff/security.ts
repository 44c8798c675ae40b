import { stableStringify } from '../template/serialize';
import type { CfnResource, CfnValue } from '../template/types';

// What widens what the stack may do, in the spirit of `cdk diff`'s security
// changes: a grant no policy gave before, a new principal that may invoke a
// function, a new event source. Narrowing is an ordinary change and only
// shows among the resources.

export interface SecurityChange {
  kind: 'grant' | 'invoke' | 'trigger';
  /** The resource that carries it. */
  logicalId: string;
  /** `s3:GetObject on GetAtt(Uploads.Arn)`, `sns.amazonaws.com from Ref(Alerts)`, `AWS::Events::Rule`. */
  text: string;
  /** A `*` in the action or the resource. */
  wildcard: boolean;
}

/** The resources that make a function run when something happens elsewhere. */
const TRIGGER_TYPES = new Set(['AWS::Events::Rule', 'AWS::SNS::Subscription', 'AWS::Lambda::EventSourceMapping', 'AWS::Logs::SubscriptionFilter', 'AWS::SES::ReceiptRule']);

/** A value as a reader writes it: `Ref(X)`, `GetAtt(X.Arn)`, or its JSON. */
export function showValue(value: CfnValue | undefined): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (typeof value.Ref === 'string') return `Ref(${value.Ref})`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `GetAtt(${getAtt.join('.')})`;
    if (typeof value['Fn::Sub'] === 'string') return `Sub(${value['Fn::Sub']})`;
  }
  return JSON.stringify(value);
}

function list(value: CfnValue | undefined): CfnValue[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function documents(resource: CfnResource): CfnValue[] {
  const properties = resource.Properties ?? {};
  switch (resource.Type) {
    case 'AWS::IAM::Policy':
    case 'AWS::IAM::ManagedPolicy':
      return list(properties.PolicyDocument);
    case 'AWS::IAM::Role':
      return list(properties.Policies).map((policy) => (policy && typeof policy === 'object' && !Array.isArray(policy) ? policy.PolicyDocument : undefined) ?? null);
    default:
      return [];
  }
}

interface Grant {
  key: string;
  text: string;
  wildcard: boolean;
}

/** Each allowed action on each resource, one grant a pair (a condition goes with it). */
function grants(resource: CfnResource): Grant[] {
  const out: Grant[] = [];
  for (const document of documents(resource)) {
    if (!document || typeof document !== 'object' || Array.isArray(document)) continue;
    for (const statement of list(document.Statement)) {
      if (!statement || typeof statement !== 'object' || Array.isArray(statement) || statement.Effect !== 'Allow') continue;
      const condition = statement.Condition === undefined ? '' : ` when ${stableStringify(statement.Condition)}`;
      for (const action of list(statement.Action ?? statement.NotAction)) {
        for (const target of list(statement.Resource ?? statement.NotResource ?? '*')) {
          const actionText = showValue(action);
          const targetText = showValue(target);
          out.push({
            key: stableStringify([action, target, statement.Condition ?? null]),
            text: `${actionText} on ${targetText}${condition}`,
            wildcard: actionText.includes('*') || targetText === '*' || (typeof target === 'string' && target.endsWith('*')),
          });
        }
      }
    }
  }
  return out;
}

export function securityChanges(before: Record<string, CfnResource>, after: Record<string, CfnResource>): SecurityChange[] {
  const changes: SecurityChange[] = [];
  for (const logicalId of Object.keys(after).sort()) {
    const now = after[logicalId];
    const old = before[logicalId];
    const known = new Set(old ? grants(old).map((grant) => grant.key) : []);
    for (const grant of grants(now)) {
      if (!known.has(grant.key)) changes.push({ kind: 'grant', logicalId, text: grant.text, wildcard: grant.wildcard });
    }
    if (now.Type === 'AWS::Lambda::Permission' && stableStringify(old ?? null) !== stableStringify(now)) {
      const properties = now.Properties ?? {};
      const from = properties.SourceArn !== undefined ? ` from ${showValue(properties.SourceArn)}` : properties.SourceAccount !== undefined ? ` from account ${showValue(properties.SourceAccount)}` : ' from anywhere';
      const principal = showValue(properties.Principal);
      changes.push({ kind: 'invoke', logicalId, text: `${principal} may call ${showValue(properties.FunctionName)}${from}`, wildcard: principal === '*' || from === ' from anywhere' });
    }
    if (!old && TRIGGER_TYPES.has(now.Type)) changes.push({ kind: 'trigger', logicalId, text: `new ${now.Type}`, wildcard: false });
    if (now.Type === 'AWS::S3::Bucket' && stableStringify(old?.Properties?.NotificationConfiguration ?? null) !== stableStringify(now.Properties?.NotificationConfiguration ?? null) && now.Properties?.NotificationConfiguration !== undefined) {
      changes.push({ kind: 'trigger', logicalId, text: 'changed bucket notifications', wildcard: false });
    }
  }
  return changes;
}
