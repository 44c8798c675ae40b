// Decides, before any upload or change set, whether the deployed stack already
// is what the plan describes. An ordered checklist that says why it answered
// as it did (like the CDK's canSkipDeploy). Everything that deploys is
// compared: parameters, the full tag set (identity included), the template,
// and the archives the template points at, which must still be in the bucket.
import { isDeepStrictEqual } from 'node:util';
import type { S3Api } from './api';
import { artifactSize, listObjects, ListingDenied } from './artifacts';
import type { DeploymentPlan } from './plan';
import { servicePrefix } from './plan';
import { StackStatus, type DeployedStack } from './stack';

export type SkipDecision = { skip: true; reason: string } | { skip: false; reason: string };

function parseTemplate(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function sameRecord(a: Record<string, string>, b: Record<string, string>): boolean {
  return isDeepStrictEqual(Object.entries(a).sort(), Object.entries(b).sort());
}

/** The S3 keys of the function code a template deploys (`Code.S3Key` of every function). */
export function archiveKeys(templateBody: string): string[] {
  const template = parseTemplate(templateBody) as { Resources?: Record<string, { Type?: string; Properties?: { Code?: { S3Key?: unknown } } }> };
  const keys = Object.values(template?.Resources ?? {})
    .filter((resource) => resource?.Type === 'AWS::Lambda::Function')
    .map((resource) => resource.Properties?.Code?.S3Key)
    .filter((key): key is string => typeof key === 'string');
  return [...new Set(keys)].sort();
}

/**
 * Why the bucket no longer holds what the deployed template runs, or undefined
 * when it does. One listing of the service prefix, not a request per key; a
 * key counts when it is there with the size of the local archive.
 */
async function archivesMissing(s3: S3Api, plan: DeploymentPlan, deployedTemplate: string): Promise<string | undefined> {
  const prefix = servicePrefix(plan.stackName);
  // The plan's uploads too: a nested service's archive keys are in its child templates, which the plan uploads beside them.
  const keys = [...new Set([...archiveKeys(deployedTemplate), ...plan.artifacts.map((artifact) => artifact.key)])].filter((key) => key.startsWith(prefix)).sort();
  if (keys.length === 0) return undefined;
  let stored;
  try {
    stored = await listObjects(s3, plan.bucket, prefix);
  } catch (error) {
    // Without s3:ListBucket, deploy: the upload step verifies each key on its own.
    if (error instanceof ListingDenied) return `${error.message}; each archive is verified instead`;
    throw error;
  }
  const local = new Map(plan.artifacts.map((artifact) => [artifact.key, artifact.file]));
  for (const key of keys) {
    const size = stored.get(key);
    if (size === undefined) return `s3://${plan.bucket}/${key} is missing from the bucket`;
    const file = local.get(key);
    if (file !== undefined && size !== (await artifactSize(file))) return `s3://${plan.bucket}/${key} is not the local archive (its size differs)`;
  }
  return undefined;
}

export async function canSkipDeploy(s3: S3Api, stack: DeployedStack | undefined, deployedTemplate: string | undefined, plan: DeploymentPlan): Promise<SkipDecision> {
  if (!stack || StackStatus.isReviewOnly(stack.status)) return { skip: false, reason: 'the stack does not exist yet' };
  if (!StackStatus.isDeploySuccess(stack.status) && !StackStatus.isRolledBack(stack.status)) {
    return { skip: false, reason: `the stack is ${stack.status}` };
  }
  if (StackStatus.isFailedCreation(stack.status)) return { skip: false, reason: `the stack is ${stack.status}` };
  if (!sameRecord(stack.parameters, plan.parameters)) return { skip: false, reason: 'the parameters changed' };
  if (!sameRecord(stack.tags, plan.tags)) return { skip: false, reason: 'the tags changed' };
  if (deployedTemplate === undefined || !isDeepStrictEqual(parseTemplate(deployedTemplate), parseTemplate(plan.templateBody))) {
    return { skip: false, reason: 'the template changed' };
  }
  const missing = await archivesMissing(s3, plan, deployedTemplate);
  if (missing) return { skip: false, reason: missing };
  return { skip: true, reason: 'the deployed template, parameters, tags and archives equal the new ones; nothing uploaded, no change set' };
}
