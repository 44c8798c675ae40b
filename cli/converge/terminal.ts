// Every state a stack can end in, and what the user can do about it. Two
// moments ask: before deploying (can this stack be updated at all?) and after
// an operation settles (did it work, and if not, how to get unstuck).
import { stackFailed, stackNotUpdatable, type SpartaError } from '../errors';
import type { StackActivity } from './messages';
import { StackStatus, type DeployedStack } from './stack';

export function followHint(stackName: string): string {
  return `follow it with \`sparta describe --service ${stackName}\` or \`aws cloudformation describe-stack-events --stack-name ${stackName}\``;
}

/** Throws when CloudFormation would refuse to update the stack in its current state. */
export function assertDeployable(stack: DeployedStack | undefined, replaceFailed: boolean): void {
  if (!stack) return;
  const { stackName, status } = stack;
  if (StackStatus.isFailedCreation(status) && !replaceFailed) {
    throw stackNotUpdatable(
      stackName,
      status,
      'its first creation failed, and CloudFormation cannot update such a stack',
      'provision again with --replace-failed to delete it and create it anew',
    );
  }
  if (status === 'UPDATE_ROLLBACK_FAILED') {
    throw stackNotUpdatable(
      stackName,
      status,
      'an update failed and so did its rollback',
      `fix what blocked the rollback, then run \`aws cloudformation continue-update-rollback --stack-name ${stackName}\` (add --resources-to-skip <LogicalId...> for resources that cannot roll back) and provision again`,
    );
  }
  if (status === 'DELETE_FAILED') {
    throw stackNotUpdatable(
      stackName,
      status,
      'a deletion failed, and the stack can now only be deleted',
      `fix what blocked the deletion and run \`sparta delete --service ${stackName}\` again`,
    );
  }
}

function reasons(failures: StackActivity[]): string {
  if (failures.length === 0) return '';
  const first = failures.slice(0, 3).map((f) => `${f.logicalId} ${f.status}${f.reason ? ` (${f.reason})` : ''}`);
  const more = failures.length > 3 ? `, and ${failures.length - 3} more` : '';
  return `: ${first.join('; ')}${more}`;
}

export type StackOperation = 'create' | 'update' | 'delete';

/** The error for an operation that settled in anything but success. */
export function terminalFailure(stack: Pick<DeployedStack, 'stackName' | 'status' | 'statusReason'>, operation: StackOperation, failures: StackActivity[]): SpartaError {
  const { stackName, status } = stack;
  const why = reasons(failures) || (stack.statusReason ? `: ${stack.statusReason}` : '');
  switch (status) {
    case 'ROLLBACK_COMPLETE':
    case 'ROLLBACK_FAILED':
    case 'CREATE_FAILED':
      return stackFailed(
        `creating stack ${stackName} failed (${status})${why}`,
        status === 'ROLLBACK_FAILED'
          ? `fix the cause, delete the stack (sparta delete --service ${stackName}) and provision again`
          : 'fix the cause and provision again with --replace-failed (a stack whose creation failed cannot be updated)',
      );
    case 'UPDATE_ROLLBACK_COMPLETE':
      return stackFailed(
        `updating stack ${stackName} failed and was rolled back${why}`,
        'the previous version is still deployed; fix the cause and provision again',
      );
    case 'UPDATE_ROLLBACK_FAILED':
      return stackFailed(
        `updating stack ${stackName} failed and so did the rollback (UPDATE_ROLLBACK_FAILED)${why}`,
        `fix what blocked the rollback, then run \`aws cloudformation continue-update-rollback --stack-name ${stackName}\` (add --resources-to-skip ${failures.map((f) => f.logicalId).join(' ') || '<LogicalId...>'} to skip resources that cannot roll back)`,
      );
    case 'UPDATE_FAILED':
      return stackFailed(`updating stack ${stackName} failed (rollback is disabled)${why}`, 'fix the cause and provision again');
    case 'DELETE_FAILED':
      return stackFailed(
        `deleting stack ${stackName} failed${why}`,
        `fix or empty the resources that failed (a non-empty bucket is a common cause) and run \`sparta delete --service ${stackName}\` again; \`aws cloudformation delete-stack --stack-name ${stackName} --retain-resources <LogicalId...>\` keeps them instead`,
      );
    default:
      return stackFailed(
        `${operation === 'delete' ? 'deleting' : operation === 'create' ? 'creating' : 'updating'} stack ${stackName} ended in ${status}${why}`,
        followHint(stackName),
      );
  }
}

export function isSuccess(status: string, operation: StackOperation): boolean {
  return operation === 'delete' ? StackStatus.isDeleted(status) : StackStatus.isDeploySuccess(status);
}
