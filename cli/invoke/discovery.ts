import type { DiscoveredResource, DiscoveryDocument } from '../../manifest/discovery';
import type { FunctionManifest, ServiceManifest } from '../../manifest/types';
import type { CfnResource } from '../template/types';
import { functionDependencies } from '../template/discovery';
import { functionLogicalId, shortHash } from '../template/ids';
import { serviceDiscovery } from '../template/sources';

// Locally there is no stack, so `sparta invoke` hands the function a discovery
// document of placeholders with the shape the deployed one will have: the same
// dependencies (functionDependencies, as the template stage picks them) and
// values formatted like real ones (ARNs, names, URLs) in a sample account.
// `--env SPARTA_DISCOVERY=...` replaces it with real values.

export const LOCAL_ACCOUNT = '123456789012';

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
      return { ref: name, attributes: { Arn: arn('dynamodb', `table/${name}`), StreamArn: arn('dynamodb', `table/${name}/stream/2026-01-01T00:00:00.000`) } };
    case 'AWS::Kinesis::Stream':
      return { ref: name, attributes: { Arn: arn('kinesis', `stream/${name}`) } };
    case 'AWS::Logs::LogGroup':
      return { ref: name, attributes: { Arn: arn('logs', `log-group:${name}:*`) } };
    case 'AWS::ApiGatewayV2::Api': {
      // An API ID is 10 lower-case letters and digits.
      const id = shortHash(name).slice(0, 8) + 'ws';
      return { ref: id, attributes: { ApiId: id, ApiEndpoint: `wss://${id}.execute-api.${region}.amazonaws.com` } };
    }
    case 'AWS::Events::EventBus':
      return { ref: name, attributes: { Arn: arn('events', `event-bus/${name}`), Name: name } };
    default:
      return { ref: name, attributes: {} };
  }
}

/** The account, region, partition and stack name CloudFormation's pseudo parameters stand for locally. */
export function pseudoParameter(name: string, stackName: string, region: string): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return region;
    case 'AWS::AccountId':
      return LOCAL_ACCOUNT;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    case 'AWS::StackName':
      return stackName;
    default:
      return undefined;
  }
}

export function localDiscoveryDocument(service: ServiceManifest, fn: FunctionManifest, region: string): DiscoveryDocument {
  const stackName = service.name;
  // As declared (a source may read a property: a bucket's written name).
  const declared = Object.fromEntries(service.resources.map((resource) => [resource.logicalId, structuredClone(resource.declaration) as CfnResource]));
  const selfId = functionLogicalId(fn.service, fn.className, fn.methodName);
  const resources: Record<string, DiscoveredResource> = {};
  // The same dependencies the template stage writes into the deployed document.
  for (const dependency of functionDependencies(fn, selfId, declared)) {
    if (dependency.literal) {
      const local = (text: string) => text.replace(/\$\{([^}!]*)\}/g, (whole, pseudo: string) => pseudoParameter(pseudo, stackName, region) ?? whole).replace(/\$\{!/g, '${');
      const attributes = Object.fromEntries(Object.entries(dependency.literal.attributes).map(([key, text]) => [key, local(text)]));
      resources[dependency.logicalId] = { type: dependency.type, ref: local(dependency.literal.ref), attributes };
      continue;
    }
    const name = `${stackName}-${dependency.logicalId}`;
    const values = placeholder(dependency.type, name, region);
    const attributes: Record<string, string> = {};
    for (const attribute of dependency.attributes) attributes[attribute] = values.attributes[attribute] ?? `${name}-${attribute}`;
    resources[dependency.logicalId] = { type: dependency.type, ref: values.ref, attributes };
  }
  // The service's API URLs, the deployed texts with each resource and pseudo parameter as a placeholder.
  const local = (text: string) =>
    text.replace(/\$\{([^}!]*)\}/g, (whole, name: string) => pseudoParameter(name, stackName, region) ?? (name.includes('::') ? whole : placeholder('AWS::ApiGatewayV2::Api', `${stackName}-${name}`, region).ref));
  const serviceWide = JSON.parse(JSON.stringify(serviceDiscovery(service)), (_key, value: unknown) => (typeof value === 'string' ? local(value) : value)) as Partial<DiscoveryDocument>;
  return {
    stackName,
    stackId: `arn:aws:cloudformation:${region}:${LOCAL_ACCOUNT}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    region,
    logicalId: selfId,
    ...serviceWide,
    ...(service.stage !== undefined && { stage: service.stage }),
    resources,
  };
}
