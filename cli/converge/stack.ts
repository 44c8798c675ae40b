// The deployed stack as a value: missing is `undefined`, not an exception, and
// its status is classified once here so every caller agrees on what a state
// means.
import type { Stack, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { CloudFormationApi } from './api';
import type { Template } from '../template/types';
import { deployedTemplateUnreadable } from '../errors';
import { awsError, isStackMissingError } from './aws-errors';

export interface DeployedStack {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  tags: Record<string, string>;
  createdAt?: Date;
  lastUpdatedAt?: Date;
}

export const StackStatus = {
  isInProgress: (status: string) => status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS',
  /** Created by a change set that was never executed: no resources, deploy as a creation. */
  isReviewOnly: (status: string) => status === 'REVIEW_IN_PROGRESS',
  /** A stack CloudFormation cannot update: only deletion helps (first creation failed). */
  isFailedCreation: (status: string) => status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status === 'CREATE_FAILED',
  isDeploySuccess: (status: string) => status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE' || status === 'IMPORT_COMPLETE',
  isDeleted: (status: string) => status === 'DELETE_COMPLETE',
  /** The operation failed and was undone: stable, but the deploy did not happen. */
  isRolledBack: (status: string) => status.endsWith('ROLLBACK_COMPLETE'),
};

function toRecord<T>(items: T[] | undefined, key: (item: T) => string | undefined, value: (item: T) => string | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const item of items ?? []) {
    const k = key(item);
    if (k !== undefined) record[k] = value(item) ?? '';
  }
  return record;
}

export function toDeployedStack(stack: Stack): DeployedStack {
  return {
    stackId: stack.StackId ?? stack.StackName ?? '',
    stackName: stack.StackName ?? '',
    status: stack.StackStatus ?? 'UNKNOWN',
    statusReason: stack.StackStatusReason,
    parameters: toRecord(stack.Parameters, (p) => p.ParameterKey, (p) => p.ParameterValue),
    outputs: toRecord(stack.Outputs, (o) => o.OutputKey, (o) => o.OutputValue),
    tags: toRecord(stack.Tags, (t) => t.Key, (t) => t.Value),
    createdAt: stack.CreationTime,
    lastUpdatedAt: stack.LastUpdatedTime,
  };
}

/**
 * The stack by name or ID, or `undefined` when there is none. A stack deleted
 * earlier is looked up by ID as DELETE_COMPLETE; by name it is missing.
 */
export async function lookupStack(cf: CloudFormationApi, nameOrId: string): Promise<DeployedStack | undefined> {
  try {
    const response = await cf.describeStacks({ StackName: nameOrId });
    const stack = response.Stacks?.[0];
    return stack ? toDeployedStack(stack) : undefined;
  } catch (error) {
    if (isStackMissingError(error)) return undefined;
    throw awsError(error, `looking up stack ${nameOrId}`);
  }
}

export async function listStackResources(cf: CloudFormationApi, stackName: string): Promise<StackResourceSummary[]> {
  const resources: StackResourceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cf.listStackResources({ StackName: stackName, NextToken: nextToken }).catch((error: unknown) => {
      throw awsError(error, `listing the resources of stack ${stackName}`);
    });
    resources.push(...(page.StackResourceSummaries ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return resources;
}

/** The template the stack runs (as submitted), or undefined when CloudFormation has none for it (a review-only stack). */
export async function readDeployedTemplate(cf: CloudFormationApi, stack: DeployedStack): Promise<string | undefined> {
  if (StackStatus.isReviewOnly(stack.status)) return undefined;
  try {
    return (await cf.getTemplate({ StackName: stack.stackId, TemplateStage: 'Original' })).TemplateBody;
  } catch (error) {
    throw awsError(error, `reading the deployed template of stack ${stack.stackName}`);
  }
}

/** A template body as a value, or why it is not a JSON template sparta can read (a YAML one, say). */
export function parseTemplateBody(body: string): { template: Template } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return { problem: (error as Error).message };
  }
  if (!parsed || typeof parsed !== 'object' || typeof (parsed as Template).Resources !== 'object') return { problem: 'it has no Resources' };
  const template = parsed as Partial<Template>;
  return { template: { ...template, Parameters: template.Parameters ?? {}, Outputs: template.Outputs ?? {} } as Template };
}

/** The deployed stack's template as a value, or undefined when no stack (or no template: review-only) exists. */
export async function deployedTemplate(cf: CloudFormationApi, stackName: string): Promise<Template | undefined> {
  const stack = await lookupStack(cf, stackName);
  if (!stack || StackStatus.isDeleted(stack.status)) return undefined;
  const body = await readDeployedTemplate(cf, stack);
  if (body === undefined) return undefined;
  const parsed = parseTemplateBody(body);
  if ('problem' in parsed) throw deployedTemplateUnreadable(stackName, parsed.problem);
  return parsed.template;
}
