import type { DiscoveredResource, DiscoveryDocument } from '../../manifest/discovery';
import type { FunctionManifest, ServiceManifest } from '../../manifest/types';
import { functionLogicalId } from './names';

// Locally there is no stack, so `sparta invoke` hands the function a discovery
// document of placeholders with the shape the deployed one will have: the same
// dependencies (its @DependsOn, what its privileges and SNS topics name) and
// values formatted like real ones (ARNs, names, URLs) in a sample account.
// `--env SPARTA_DISCOVERY=...` replaces it with real values.

export const LOCAL_ACCOUNT = '123456789012';

/** Logical ID to the attributes the function names (Ref only: an empty set). */
function dependencies(fn: FunctionManifest): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const note = (logicalId: string, attribute?: string) => {
    let set = found.get(logicalId);
    if (!set) found.set(logicalId, (set = new Set()));
    if (attribute) set.add(attribute);
  };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (typeof record.Ref === 'string' && !record.Ref.startsWith('AWS::')) note(record.Ref);
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') note(getAtt[0], typeof getAtt[1] === 'string' ? getAtt[1] : undefined);
    const sub = record['Fn::Sub'];
    if (typeof sub === 'string') {
      for (const [, name] of sub.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const [logicalId, attribute] = name.trim().split('.', 2);
        if (!logicalId.startsWith('AWS::')) note(logicalId, attribute);
      }
    }
    Object.values(record).forEach(visit);
  };
  for (const id of fn.dependsOn) note(id);
  for (const privilege of fn.privileges) visit([privilege.resource, privilege.condition ?? null]);
  for (const event of fn.events) if (event.kind === 'sns') visit(event.topic);
  return found;
}

/** Values shaped like what CloudFormation returns for the commonest types; a name otherwise. */
function placeholder(type: string, name: string, region: string): { ref: string; attributes: Record<string, string> } {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${LOCAL_ACCOUNT}:${resource}`;
  switch (type) {
    case 'AWS::SNS::Topic':
      return { ref: arn('sns', name), attributes: { TopicArn: arn('sns', name), TopicName: name } };
    case 'AWS::SQS::Queue': {
      const url = `https://sqs.${region}.amazonaws.com/${LOCAL_ACCOUNT}/${name}`;
      return { ref: url, attributes: { Arn: arn('sqs', name), QueueName: name, QueueUrl: url } };
    }
    case 'AWS::S3::Bucket': {
      const bucket = name.toLowerCase();
      return { ref: bucket, attributes: { Arn: `arn:aws:s3:::${bucket}`, DomainName: `${bucket}.s3.amazonaws.com` } };
    }
    case 'AWS::DynamoDB::Table':
      return { ref: name, attributes: { Arn: arn('dynamodb', `table/${name}`) } };
    default:
      return { ref: name, attributes: {} };
  }
}

export function localDiscoveryDocument(service: ServiceManifest, fn: FunctionManifest, region: string): DiscoveryDocument {
  const stackName = service.name;
  const declared = new Map(service.resources.map((resource) => [resource.logicalId, resource.declaration.Type]));
  const selfId = functionLogicalId(fn.service, fn.className, fn.methodName);
  const resources: Record<string, DiscoveredResource> = {};
  for (const [logicalId, wanted] of [...dependencies(fn)].sort(([a], [b]) => a.localeCompare(b))) {
    const type = declared.get(logicalId);
    // Parameters, other stacks' names and the function itself are not dependencies.
    if (type === undefined || logicalId === selfId) continue;
    const values = placeholder(type, `${stackName}-${logicalId}`, region);
    const attributes: Record<string, string> = {};
    for (const attribute of [...wanted].sort()) attributes[attribute] = values.attributes[attribute] ?? `${stackName}-${logicalId}-${attribute}`;
    resources[logicalId] = { type, ref: values.ref, attributes };
  }
  return {
    stackName,
    stackId: `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    region,
    logicalId: selfId,
    resources,
  };
}
