// Brings the stack in line with a DeploymentPlan. A pipeline with early exits:
// verify roles -> look up the stack (wait out a running operation, refuse
// stuck states and other projects' stacks) -> bucket (and its region) -> skip
// if unchanged -> upload what is missing or differs -> (replace a failed first
// creation) -> change set -> preview / approve destructive changes -> execute
// and stream events -> outputs.
import type { Template } from '../template/types';
import type { AwsApis, CloudFormationApi } from './api';
import { CLOUDFORMATION_LIMITS } from '../../manifest/defaults';
import { confirmationRequired } from '../errors';
import { ensureBucket, templateKey, templateUrl, uploadArtifacts, uploadTemplate, type UploadSummary } from './artifacts';
import {
  changeSetFailed,
  changeSetHasNoChanges,
  createChangeSet,
  deleteChangeSet,
  executeChangeSet,
  waitForChangeSet,
  type ChangeSetRef,
} from './changeset';
import { checkOwnership, describeIdentity } from './identity';
import type { ConvergeIo, FunctionSummary, ResourceChangeSummary } from './messages';
import { runStackOperation, waitForStackToSettle, type WatchOptions } from './operation';
import type { DeploymentPlan } from './plan';
import type { ConvergeResult } from './result';
import { verifyRoles } from './roles';
import { hotswapDecision, runHotswap } from './hotswap';
import { canSkipDeploy } from './skip';
import { listStackResources, lookupStack, parseTemplateBody, readDeployedTemplate, StackStatus, type DeployedStack } from './stack';
import { assertDeployable, followHint } from './terminal';
import { throwIfAborted } from './wait';

export interface ConvergeDeps {
  aws: AwsApis;
  /** The region the clients use; the template URL names it. */
  region: string;
  io: ConvergeIo;
  /** Client-side limit on all waiting together (the command's --timeout). */
  timeoutMs: number;
  pollIntervalMs: number;
  /** Aborting (Ctrl-C) stops waiting; an operation already started keeps running in AWS. */
  signal?: AbortSignal;
  /** What to do with a change set that removes or replaces resources; default `refuse`. */
  approval?: Approval;
  now?: () => number;
}

/**
 * The one approval policy for destructive change sets (CDK's
 * --require-approval): `apply` them (--yes), `ask` a person through `confirm`
 * (a terminal), or `refuse` (nobody to ask): the change set is deleted and
 * provision fails, so a removal never happens unattended.
 */
export type Approval = { mode: 'apply' } | { mode: 'ask'; confirm: (changes: ResourceChangeSummary[]) => Promise<boolean> } | { mode: 'refuse' };

export const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
export const DEFAULT_POLL_INTERVAL_MS = 2000;

export function isDestructive(change: ResourceChangeSummary): boolean {
  return change.action === 'Remove' || (change.action === 'Modify' && (change.replacement === 'True' || change.replacement === 'Conditional'));
}

/** The stack's functions, those of its nested stacks included (a service over one stack's limits keeps them there). */
export async function functionSummaries(cf: CloudFormationApi, stackId: string): Promise<FunctionSummary[]> {
  const resources = await listStackResources(cf, stackId);
  const functions = resources
    .filter((resource) => resource.ResourceType === 'AWS::Lambda::Function' && resource.PhysicalResourceId)
    .map((resource) => ({ logicalId: resource.LogicalResourceId ?? '', name: resource.PhysicalResourceId ?? '' }));
  for (const nested of resources.filter((resource) => resource.ResourceType === 'AWS::CloudFormation::Stack' && resource.PhysicalResourceId)) {
    functions.push(...(await functionSummaries(cf, nested.PhysicalResourceId!)));
  }
  return functions.sort((a, b) => a.logicalId.localeCompare(b.logicalId));
}

export async function converge(plan: DeploymentPlan, deps: ConvergeDeps): Promise<ConvergeResult> {
  const { cloudFormation: cf, s3, iam } = deps.aws;
  const { io, signal } = deps;
  const now = deps.now ?? Date.now;
  const watch: WatchOptions = { io, intervalMs: deps.pollIntervalMs, deadline: now() + deps.timeoutMs, signal, now };
  const nothingChanged = 'nothing was deployed; run provision again';
  const none: UploadSummary = { uploaded: 0, present: 0, replaced: 0 };

  if (plan.roleArns.length > 0) {
    await verifyRoles(iam, plan.roleArns);
    io.emit({ type: 'roles-verified', roleArns: [...new Set(plan.roleArns)].sort() });
  }

  let stack = await lookupStack(cf, plan.stackName);
  if (stack && StackStatus.isInProgress(stack.status)) {
    io.emit({ type: 'waiting-for-stack', stackName: stack.stackName, status: stack.status });
    stack = await waitForStackToSettle(cf, stack, { ...watch, what: `the running ${stack.status} of stack ${stack.stackName}`, hint: followHint(stack.stackName) });
    if (StackStatus.isDeleted(stack.status)) stack = undefined;
  }
  assertDeployable(stack, plan.replaceFailed);
  const deployedTemplate = stack ? await readDeployedTemplate(cf, stack) : undefined;
  const ownership = checkOwnership(stack, deployedTemplate, plan.identity, plan.force);
  if (ownership.kind === 'adopted') io.emit({ type: 'stack-adopted', stackName: plan.stackName, identity: describeIdentity(plan.identity) });
  if (ownership.kind === 'taken-over') io.emit({ type: 'stack-taken-over', stackName: plan.stackName, owner: ownership.owner, identity: describeIdentity(plan.identity) });
  await ensureBucket(s3, plan.bucket, deps.region);

  const decision = await canSkipDeploy(s3, stack, deployedTemplate, plan);
  if (decision.skip && stack) {
    io.emit({ type: 'no-changes', stackName: plan.stackName, reason: decision.reason });
    const functions = await functionSummaries(cf, stack.stackId);
    io.emit({ type: 'stack-complete', stackName: stack.stackName, status: stack.status, outputs: stack.outputs, functions });
    return { type: 'noOp', stackName: plan.stackName, reason: decision.reason, uploads: none, outputs: stack.outputs, functions };
  }

  if (plan.hotswap && !plan.noop) {
    // A deployed template sparta cannot read (not JSON) leaves hotswap nothing to compare: a full provision follows.
    const parsed = deployedTemplate === undefined ? undefined : parseTemplateBody(deployedTemplate);
    const deployed = parsed && 'template' in parsed ? parsed.template : undefined;
    const decision = hotswapDecision(stack, deployed, plan, JSON.parse(plan.templateBody) as Template);
    if (decision.kind === 'hotswap' && stack) {
      const hotswapUploads = await runHotswap(deps.aws, plan, decision.functions, { io, intervalMs: watch.intervalMs, deadline: watch.deadline, now, signal });
      io.emit({ type: 'hotswap-drift', stackName: plan.stackName });
      const functions = await functionSummaries(cf, stack.stackId);
      io.emit({ type: 'stack-complete', stackName: stack.stackName, status: stack.status, outputs: stack.outputs, functions });
      return { type: 'hotswapped', stackName: plan.stackName, functions, uploads: hotswapUploads };
    }
    if (decision.kind === 'full') io.emit({ type: 'hotswap-fallback', stackName: plan.stackName, reason: decision.reason });
  }

  throwIfAborted(signal, 'preparing the deployment', nothingChanged);
  // A preview executes nothing, so CloudFormation never reads the archives:
  // they stay local, and so does the template when it fits inline.
  const previewInline = plan.noop && Buffer.byteLength(plan.templateBody) <= CLOUDFORMATION_LIMITS.templateBodyBytes;
  let uploads = none;
  if (plan.noop) io.emit({ type: 'preview-uploads', archives: plan.artifacts.length, templateInline: previewInline });
  else {
    uploads = await uploadArtifacts(s3, plan.bucket, plan.artifacts, { io, signal });
    io.emit({ type: 'artifacts-done', bucket: plan.bucket, ...uploads });
  }
  const key = templateKey(plan.stackName, plan.templateBody);
  const url = templateUrl(plan.bucket, key, deps.region);
  if (!previewInline) io.emit({ type: 'template', key, url, action: await uploadTemplate(s3, plan.bucket, key, plan.templateBody) });
  const template = previewInline ? { body: plan.templateBody } : { url };

  if (stack && StackStatus.isFailedCreation(stack.status)) {
    // assertDeployable let it through: --replace-failed was given.
    io.emit({ type: 'replacing-failed-stack', stackName: stack.stackName, status: stack.status });
    const failed = stack;
    await runStackOperation(cf, failed, 'delete', (token) => cf.deleteStack({ StackName: failed.stackId, ClientRequestToken: token }), watch);
    stack = undefined;
  }

  throwIfAborted(signal, 'preparing the change set', nothingChanged);
  const changeSetType = !stack || StackStatus.isReviewOnly(stack.status) ? 'CREATE' : 'UPDATE';
  const ref = await createChangeSet(cf, { stackName: plan.stackName, changeSetType, template, parameters: plan.parameters, tags: plan.tags });
  const discard = () => discardChangeSet(cf, ref, changeSetType, stack);
  let changeSet;
  try {
    changeSet = await waitForChangeSet(cf, ref, { intervalMs: watch.intervalMs, deadline: watch.deadline, signal, now, hint: nothingChanged });
  } catch (error) {
    await discard();
    throw error;
  }
  if (changeSetHasNoChanges(changeSet)) {
    await discard();
    io.emit({ type: 'no-changes', stackName: plan.stackName, reason: changeSet.statusReason ?? 'the change set is empty' });
    const current = (await lookupStack(cf, ref.stackId)) ?? stack;
    const functions = current ? await functionSummaries(cf, current.stackId) : [];
    if (current) io.emit({ type: 'stack-complete', stackName: current.stackName, status: current.status, outputs: current.outputs, functions });
    return { type: 'noOp', stackName: plan.stackName, reason: 'the change set has no changes', uploads, outputs: current?.outputs ?? {}, functions };
  }
  if (changeSet.status !== 'CREATE_COMPLETE') {
    await discard();
    throw changeSetFailed(ref, changeSet);
  }
  const { changes } = changeSet;
  io.emit({ type: 'change-set', stackName: plan.stackName, changeSetName: ref.name, changeSetType, changes });

  if (plan.noop) {
    await discard();
    io.emit({ type: 'preview-only', stackName: plan.stackName });
    return { type: 'preview', stackName: plan.stackName, changeSetType, changes, uploads };
  }
  const destructive = changes.filter(isDestructive);
  const approval = deps.approval ?? { mode: 'refuse' };
  if (destructive.length > 0 && approval.mode !== 'apply') {
    io.emit({ type: 'destructive-changes', stackName: plan.stackName, changes: destructive });
    if (approval.mode === 'refuse') {
      await discard();
      throw confirmationRequired(
        `remove or replace ${destructive.length} resource${destructive.length === 1 ? '' : 's'} of stack ${plan.stackName}`,
        '; the change set was deleted and nothing changed',
        'review the changes above (provision --noop shows them again), then ',
      );
    }
    const approved = await approval.confirm(changes);
    if (!approved || signal?.aborted) {
      await discard();
      // A signal while the question was open is an interruption, not an answer.
      throwIfAborted(signal, 'asking to apply the change set', nothingChanged);
      return { type: 'declined', stackName: plan.stackName, changes, uploads };
    }
  }

  if (signal?.aborted) {
    // Interrupted (Ctrl-C, SIGTERM) before executing: the change set is ours to remove.
    await discard();
    throwIfAborted(signal, 'about to execute the change set', nothingChanged);
  }
  io.emit({ type: 'executing', stackName: plan.stackName, changeSetName: ref.name });
  const operation = changeSetType === 'CREATE' ? 'create' : 'update';
  const target = { stackId: ref.stackId, stackName: plan.stackName };
  const execute = (token: string) =>
    executeChangeSet(cf, ref, token).catch(async (error: unknown) => {
      // A change set CloudFormation refused to execute stays behind on the stack; tidy it.
      await deleteChangeSet(cf, ref);
      throw error;
    });
  const settled = await runStackOperation(cf, target, operation, execute, watch);
  const functions = await functionSummaries(cf, settled.stackId);
  io.emit({ type: 'stack-complete', stackName: settled.stackName, status: settled.status, outputs: settled.outputs, functions });
  return {
    type: 'deployed',
    stackName: plan.stackName,
    stackId: settled.stackId,
    operation,
    status: settled.status,
    changes,
    uploads,
    outputs: settled.outputs,
    functions,
  };
}

/**
 * Removes an unexecuted change set. For a creation, CloudFormation made an
 * empty REVIEW_IN_PROGRESS stack to hold it; that goes too, so a preview or a
 * rejected template leaves nothing behind.
 */
async function discardChangeSet(cf: CloudFormationApi, ref: ChangeSetRef, type: 'CREATE' | 'UPDATE', before: DeployedStack | undefined): Promise<void> {
  await deleteChangeSet(cf, ref);
  if (type !== 'CREATE' || (before && !StackStatus.isReviewOnly(before.status))) return;
  const holder = await lookupStack(cf, ref.stackId).catch(() => undefined);
  if (holder && StackStatus.isReviewOnly(holder.status)) {
    await cf.deleteStack({ StackName: ref.stackId }).catch(() => undefined);
  }
}

