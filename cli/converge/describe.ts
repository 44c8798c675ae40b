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

export async function describeService(cf: CloudFormationApi, stackName: string): Promise<StackDescription> {
  const stack = await lookupStack(cf, stackName);
  if (!stack || stack.status === 'DELETE_COMPLETE') {
    throw stackNotFound(stackName);
  }
  const resources = (await listStackResources(cf, stack.stackId))
    .map((resource) => ({
      logicalId: resource.LogicalResourceId ?? '',
      type: resource.ResourceType ?? '',
      physicalId: resource.PhysicalResourceId,
      status: resource.ResourceStatus ?? '',
      statusReason: resource.ResourceStatusReason,
    }))
    .sort((a, b) => a.logicalId.localeCompare(b.logicalId));
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
