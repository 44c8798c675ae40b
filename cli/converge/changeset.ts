// Change sets: create (idempotent with a client token), wait until CloudFormation
// has computed them, read every page of changes, and recognise "no changes"
// from the status reason as AWS reports it (an empty change list alone is not
// proof: output-only updates have no resource changes but still apply).
import type { Capability, Change, DescribeChangeSetCommandOutput } from '@aws-sdk/client-cloudformation';
import { randomBytes } from 'node:crypto';
import { changeSetFailed as changeSetRejected } from '../errors';
import type { CloudFormationApi } from './api';
import { awsError } from './aws-errors';
import type { ResourceChangeSummary } from './messages';
import { waitFor, type WaitOptions } from './wait';

export const CAPABILITIES: Capability[] = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'];

export interface ChangeSetRequest {
  stackName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  /** The template in S3, or (a preview within the inline limit) its body. */
  template: { url: string } | { body: string };
  parameters: Record<string, string>;
  tags?: Record<string, string>;
}

export interface ChangeSetRef {
  id: string;
  name: string;
  stackId: string;
  stackName: string;
}

export interface DescribedChangeSet {
  status: string;
  statusReason?: string;
  executionStatus?: string;
  createdAt?: Date;
  changes: ResourceChangeSummary[];
}

/** Letters, digits and hyphens, starting with a letter, unique per call. */
export function newChangeSetName(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `sparta-${stamp}-${randomBytes(3).toString('hex')}`;
}

export async function createChangeSet(cf: CloudFormationApi, request: ChangeSetRequest): Promise<ChangeSetRef> {
  const name = newChangeSetName();
  try {
    const response = await cf.createChangeSet({
      StackName: request.stackName,
      ChangeSetName: name,
      ChangeSetType: request.changeSetType,
      ...('url' in request.template ? { TemplateURL: request.template.url } : { TemplateBody: request.template.body }),
      Parameters: Object.entries(request.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: CAPABILITIES,
      Tags: request.tags ? Object.entries(request.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
      ClientToken: name,
      Description: 'sparta provision',
    });
    return { id: response.Id ?? name, name, stackId: response.StackId ?? request.stackName, stackName: request.stackName };
  } catch (error) {
    throw awsError(error, `creating a change set for stack ${request.stackName}`);
  }
}

const NO_CHANGES = [/didn't contain changes/i, /No updates are to be performed/i];

export function changeSetHasNoChanges(changeSet: Pick<DescribedChangeSet, 'status' | 'statusReason'>): boolean {
  return changeSet.status === 'FAILED' && NO_CHANGES.some((pattern) => pattern.test(changeSet.statusReason ?? ''));
}

function toSummary(change: Change): ResourceChangeSummary | undefined {
  const resource = change.ResourceChange;
  if (!resource) return undefined;
  return {
    action: resource.Action ?? 'Unknown',
    logicalId: resource.LogicalResourceId ?? '',
    resourceType: resource.ResourceType ?? '',
    replacement: resource.Replacement,
    physicalId: resource.PhysicalResourceId,
  };
}

async function describePage(cf: CloudFormationApi, ref: ChangeSetRef, nextToken?: string): Promise<DescribeChangeSetCommandOutput> {
  try {
    return await cf.describeChangeSet({ ChangeSetName: ref.id, StackName: ref.stackId, NextToken: nextToken });
  } catch (error) {
    throw awsError(error, `describing change set ${ref.name}`);
  }
}

/** Waits until the change set is computed, then reads all of its pages. */
export async function waitForChangeSet(cf: CloudFormationApi, ref: ChangeSetRef, wait: Omit<WaitOptions, 'what'>): Promise<DescribedChangeSet> {
  const first = await waitFor(
    async () => {
      const page = await describePage(cf, ref);
      return page.Status === 'CREATE_PENDING' || page.Status === 'CREATE_IN_PROGRESS' ? undefined : page;
    },
    { ...wait, what: `change set ${ref.name} of stack ${ref.stackName}` },
  );
  const changes = (first.Changes ?? []).map(toSummary);
  let nextToken = first.NextToken;
  while (nextToken) {
    const page = await describePage(cf, ref, nextToken);
    changes.push(...(page.Changes ?? []).map(toSummary));
    nextToken = page.NextToken;
  }
  return {
    status: first.Status ?? 'UNKNOWN',
    statusReason: first.StatusReason,
    executionStatus: first.ExecutionStatus,
    createdAt: first.CreationTime,
    changes: changes.filter((change): change is ResourceChangeSummary => change !== undefined),
  };
}

export function changeSetFailed(ref: ChangeSetRef, changeSet: DescribedChangeSet) {
  return changeSetRejected(ref.stackName, changeSet.statusReason ?? changeSet.status);
}

/** `token` stamps every event of the operation, so the caller can follow its own among others'. */
export async function executeChangeSet(cf: CloudFormationApi, ref: ChangeSetRef, token: string): Promise<void> {
  await cf.executeChangeSet({ ChangeSetName: ref.id, StackName: ref.stackId, ClientRequestToken: token });
}

/** Best effort: a leftover change set is clutter, not a failure. */
export async function deleteChangeSet(cf: CloudFormationApi, ref: ChangeSetRef): Promise<void> {
  try {
    await cf.deleteChangeSet({ ChangeSetName: ref.id, StackName: ref.stackId });
  } catch {
    // already gone, or the stack is being deleted
  }
}
