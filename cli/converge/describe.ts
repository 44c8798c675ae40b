// A deployed service at a glance: status, last update, outputs, resources.
import { stackNotFound } from '../errors';
import type { CloudFormationApi } from './api';
import { listStackResources, lookupStack } from './stack';

export interface ResourceDescription {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
}

export interface StackDescription {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  createdAt?: string;
  /** ISO time of the last update; the creation time when never updated. */
  lastUpdatedAt?: string;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  resources: ResourceDescription[];
}

/** The stack's resources and, for each nested stack, its resources as `<Child>/<LogicalId>`. */
async function stackResources(cf: CloudFormationApi, stackId: string, prefix: string): Promise<ResourceDescription[]> {
  const resources: ResourceDescription[] = [];
  for (const resource of await listStackResources(cf, stackId)) {
    const logicalId = resource.LogicalResourceId ?? '';
    resources.push({
      logicalId: logicalId && `${prefix}${logicalId}`,
      type: resource.ResourceType ?? '',
      physicalId: resource.PhysicalResourceId,
      status: resource.ResourceStatus ?? '',
      statusReason: resource.ResourceStatusReason,
    });
    if (resource.ResourceType === 'AWS::CloudFormation::Stack' && resource.PhysicalResourceId) {
      resources.push(...(await stackResources(cf, resource.PhysicalResourceId, `${prefix}${logicalId}/`)));
    }
  }
  return resources;
}

export async function describeService(cf: CloudFormationApi, stackName: string): Promise<StackDescription> {
  const stack = await lookupStack(cf, stackName);
  if (!stack || stack.status === 'DELETE_COMPLETE') {
    throw stackNotFound(stackName);
  }
  const resources = (await stackResources(cf, stack.stackId, '')).sort((a, b) => a.logicalId.localeCompare(b.logicalId));
  return {
    stackName: stack.stackName,
    stackId: stack.stackId,
    status: stack.status,
    statusReason: stack.statusReason,
    createdAt: stack.createdAt?.toISOString(),
    lastUpdatedAt: (stack.lastUpdatedAt ?? stack.createdAt)?.toISOString(),
    parameters: stack.parameters,
    outputs: stack.outputs,
    resources,
  };
}
