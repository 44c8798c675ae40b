// Runs one stack operation (execute a change set, delete the stack) and
// watches it to a terminal state, streaming events as they happen.
import { stackFailed } from '../errors';
import type { CloudFormationApi } from './api';
import { awsErrorCode, errorMessage } from './aws-errors';
import { StackActivityMonitor, StackEventPoller } from './events';
import type { ConvergeIo } from './messages';
import { lookupStack, StackStatus, type DeployedStack } from './stack';
import { followHint, isSuccess, terminalFailure, type StackOperation } from './terminal';
import { waitFor } from './wait';

export interface WatchOptions {
  io: ConvergeIo;
  intervalMs: number;
  deadline: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** Polls until the stack leaves *_IN_PROGRESS; a stack that vanished is reported as DELETE_COMPLETE. */
export async function waitForStackToSettle(
  cf: CloudFormationApi,
  stack: Pick<DeployedStack, 'stackId' | 'stackName'>,
  options: WatchOptions & { monitor?: StackActivityMonitor; what: string; hint: string },
): Promise<DeployedStack> {
  return waitFor(
    async () => {
      await options.monitor?.poll();
      const current = await lookupStack(cf, stack.stackId);
      if (!current) return { ...stack, status: 'DELETE_COMPLETE', parameters: {}, outputs: {}, tags: {} };
      return StackStatus.isInProgress(current.status) ? undefined : current;
    },
    { intervalMs: options.intervalMs, deadline: options.deadline, signal: options.signal, now: options.now, what: options.what, hint: options.hint },
  );
}

/**
 * Starts the operation and waits for it. Throws STACK_FAILED when CloudFormation
 * refuses to start it or when it ends anywhere but success, after printing the
 * failed resources with their reasons.
 */
export async function runStackOperation(
  cf: CloudFormationApi,
  stack: Pick<DeployedStack, 'stackId' | 'stackName'>,
  operation: StackOperation,
  start: () => Promise<unknown>,
  options: WatchOptions,
): Promise<DeployedStack> {
  const poller = new StackEventPoller(cf, stack.stackId);
  await poller.baseline();
  const monitor = new StackActivityMonitor(poller, options.io);
  try {
    await start();
  } catch (error) {
    const before = await lookupStack(cf, stack.stackId).catch(() => undefined);
    const code = awsErrorCode(error);
    throw stackFailed(
      `CloudFormation refused to ${operation} stack ${stack.stackName}: ${code && code !== 'Error' ? `${code}: ` : ''}${errorMessage(error)}`,
      before ? `nothing was applied; the stack is still ${before.status}. Fix the cause and run the command again` : 'fix the cause and run the command again',
    );
  }
  let settled: DeployedStack;
  try {
    settled = await waitForStackToSettle(cf, stack, {
      ...options,
      monitor,
      what: `stack ${stack.stackName} to finish (${operation})`,
      hint: `the operation keeps running in AWS; ${followHint(stack.stackName)}`,
    });
  } finally {
    await monitor.stop();
  }
  if (!isSuccess(settled.status, operation)) {
    const failures = monitor.failures;
    options.io.emit({ type: 'stack-failures', stackName: stack.stackName, status: settled.status, failures });
    throw terminalFailure(settled, operation, failures);
  }
  return settled;
}
