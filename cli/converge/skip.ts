// Decides, before any upload or change set, whether the deployed stack already
// is what the plan describes. An ordered checklist that says why it answered
// as it did (like the CDK's canSkipDeploy).
import { isDeepStrictEqual } from 'node:util';
import type { CloudFormationApi } from './api';
import { awsError } from './aws-errors';
import type { DeploymentPlan } from './plan';
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

export async function canSkipDeploy(cf: CloudFormationApi, stack: DeployedStack | undefined, plan: DeploymentPlan): Promise<SkipDecision> {
  if (!stack || StackStatus.isReviewOnly(stack.status)) return { skip: false, reason: 'the stack does not exist yet' };
  if (!StackStatus.isDeploySuccess(stack.status) && !StackStatus.isRolledBack(stack.status)) {
    return { skip: false, reason: `the stack is ${stack.status}` };
  }
  if (StackStatus.isFailedCreation(stack.status)) return { skip: false, reason: `the stack is ${stack.status}` };
  if (!sameRecord(stack.parameters, plan.parameters)) return { skip: false, reason: 'the parameters changed' };
  if (plan.tags && !sameRecord(stack.tags, plan.tags)) return { skip: false, reason: 'the tags changed' };
  let deployed: string | undefined;
  try {
    deployed = (await cf.getTemplate({ StackName: stack.stackId, TemplateStage: 'Original' })).TemplateBody;
  } catch (error) {
    throw awsError(error, `reading the deployed template of stack ${stack.stackName}`);
  }
  if (deployed === undefined || !isDeepStrictEqual(parseTemplate(deployed), parseTemplate(plan.templateBody))) {
    return { skip: false, reason: 'the template changed' };
  }
  return { skip: true, reason: 'the deployed template and parameters equal the new ones; nothing uploaded, no change set' };
}
