import { resolveLambdaSettings } from '../../manifest/defaults';
import type { FunctionArtifact, FunctionManifest } from '../../manifest/types';
import { ARTIFACT_BUCKET_PARAMETER, type FunctionIds } from './ids';
import { collectReferences } from './references';
import type { CfnResource, CfnValue } from './types';

/** The artifact's key in the bucket: one folder a service, named by content, so new code is a new key. */
export function artifactKey(service: string, artifact: FunctionArtifact): string {
  return `${service}/${artifact.fileName}`;
}

export function logGroup(name: string, fn: FunctionManifest): CfnResource {
  return {
    Type: 'AWS::Logs::LogGroup',
    Properties: { LogGroupName: name, RetentionInDays: resolveLambdaSettings(fn.options).logRetentionDays },
  };
}

function tagList(serviceTags: Record<string, string> | undefined, functionTags: Record<string, string> | undefined): CfnValue[] {
  const merged = { ...(serviceTags ?? {}), ...(functionTags ?? {}) };
  return Object.keys(merged)
    .sort()
    .map((key) => ({ Key: key, Value: merged[key] }));
}

export interface FunctionInput {
  fn: FunctionManifest;
  ids: FunctionIds;
  name: string;
  artifact: FunctionArtifact;
  serviceTags?: Record<string, string>;
  /** Whether sparta generates the role and policy (false when `@Lambda({ role })` names one). */
  generatedRole: boolean;
  environment: Record<string, CfnValue>;
}

export function lambdaFunction(input: FunctionInput): CfnResource {
  const { fn, ids, artifact } = input;
  const settings = resolveLambdaSettings(fn.options);
  const properties: Record<string, CfnValue> = {
    FunctionName: input.name,
    Code: { S3Bucket: { Ref: ARTIFACT_BUCKET_PARAMETER }, S3Key: artifactKey(fn.service, artifact) },
    Handler: artifact.handler,
    Runtime: settings.runtime,
    Architectures: [settings.architecture],
    MemorySize: settings.memorySize,
    Timeout: settings.timeout,
    Role: input.generatedRole ? { 'Fn::GetAtt': [ids.role, 'Arn'] } : (fn.options.role as CfnValue),
    Environment: { Variables: input.environment },
    LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: ids.logGroup } },
  };
  if (fn.options.description !== undefined) properties.Description = fn.options.description;
  if (fn.options.reservedConcurrency !== undefined) properties.ReservedConcurrentExecutions = fn.options.reservedConcurrency;
  if (fn.options.layers !== undefined) properties.Layers = fn.options.layers as CfnValue[];
  const tags = tagList(input.serviceTags, fn.options.tags);
  if (tags.length > 0) properties.Tags = tags;

  // CloudFormation already orders a resource after every Ref, GetAtt and Sub
  // target, and cfn-lint warns (W3005) about a DependsOn that repeats one: list
  // only what no property implies. The role's policy is one such: the
  // function never references it, yet its first invocation needs it.
  const referenced = new Set(collectReferences(properties).filter((reference) => reference.kind !== 'Condition').map((reference) => reference.logicalId));
  const wanted = input.generatedRole ? [ids.policy, ...fn.dependsOn] : fn.dependsOn;
  const dependsOn = [...new Set(wanted)].filter((id) => !referenced.has(id));
  const resource: CfnResource = { Type: 'AWS::Lambda::Function' };
  if (dependsOn.length > 0) resource.DependsOn = dependsOn;
  resource.Properties = properties;
  return resource;
}
