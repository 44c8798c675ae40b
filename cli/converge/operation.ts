// Runs one stack operation (execute a change set, delete the stack) and
// watches it to a terminal state, streaming events as they happen. Each
// operation carries its own ClientRequestToken, so that with another command
// working on the same stack, each follows only what it started itself.
import { randomBytes } from 'node:crypto';
import { amendError, awsFailure, SpartaError, stackBusy, stackFailed } from '../errors';
import type { CloudFormationApi } from './api';
import { awsErrorCode, errorMessage, httpStatusOf } from './aws-errors';
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

/** Letters, digits and hyphens (CloudFormation's token pattern), unique per operation. */
export function newRequestToken(operation: StackOperation): string {
  return `sparta-${operation}-${randomBytes(8).toString('hex')}`;
}

/**
 * Polls until the stack leaves *_IN_PROGRESS; a stack that vanished is reported as DELETE_COMPLETE.
 * With a monitor on an endpoint that stamps events with tokens, it polls until
 * the stack's own end event of our operation arrives, and that event's status
 * is the outcome: the stack settling after someone else's operation says
 * nothing about ours.
 */
export async function waitForStackToSettle(
  cf: CloudFormationApi,
  stack: Pick<DeployedStack, 'stackId' | 'stackName'>,
  options: WatchOptions & { monitor?: StackActivityMonitor; what: string; hint: string },
): Promise<DeployedStack> {
  const { monitor } = options;
  return waitFor(
    async () => {
      // Status first, then events: the events that led to this status are in by then.
      const current = await lookupStack(cf, stack.stackId);
      await monitor?.poll();
      if (!current) return { ...stack, status: 'DELETE_COMPLETE', parameters: {}, outputs: {}, tags: {} };
      if (monitor?.ownEnd) return { ...current, status: monitor.ownEnd };
      if (monitor?.knowsOwnEvents) return undefined;
      return StackStatus.isInProgress(current.status) ? undefined : current;
    },
    { intervalMs: options.intervalMs, deadline: options.deadline, signal: options.signal, now: options.now, what: options.what, hint: options.hint },
  );
}

const NOUN: Record<StackOperation, string> = { create: 'creation', update: 'update', delete: 'deletion' };

/** CloudFormation turned the call down because another operation holds the stack or made our change set obsolete. */
export function isBusyError(error: unknown): boolean {
  const code = awsErrorCode(error);
  const message = errorMessage(error);
  return code === 'InvalidChangeSetStatus' || (code === 'ValidationError' && /_IN_PROGRESS state and can ?not be/i.test(message)) || /\bOBSOLETE\b/.test(message);
}

/**
 * What a failed start means. Only an answer from CloudFormation (a 4xx
 * refusal) proves that nothing was applied; a connection that failed, or a
 * server error, leaves the outcome open, and the message says so.
 */
async function startFailure(cf: CloudFormationApi, stack: Pick<DeployedStack, 'stackId' | 'stackName'>, operation: StackOperation, error: unknown): Promise<SpartaError> {
  const { stackName } = stack;
  const check = `see whether it started with \`sparta describe --service ${stackName}\` before running the command again`;
  if (isBusyError(error)) {
    return stackBusy(stackName, NOUN[operation], errorMessage(error), followHint(stackName));
  }
  if (SpartaError.is(error)) {
    // A transport failure (no connection, an unreadable answer): the request may have reached CloudFormation.
    return amendError(error, `; the ${NOUN[operation]} of stack ${stackName} may or may not have started`, check);
  }
  const code = awsErrorCode(error);
  const detail = `${code && code !== 'Error' ? `${code}: ` : ''}${errorMessage(error)}`;
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    const before = await lookupStack(cf, stack.stackId).catch(() => undefined);
    return stackFailed(
      `CloudFormation refused to ${operation} stack ${stackName}: ${detail}`,
      `nothing was applied${before ? `; the stack is still ${before.status}` : ''}. Fix the cause and run the command again`,
    );
  }
  return awsFailure(`starting the ${NOUN[operation]} of stack ${stackName}`, `${detail}; it may or may not have started`, check);
}

/**
 * Starts the operation with a fresh ClientRequestToken and waits for it.
 * Throws STACK_BUSY when another operation holds the stack, STACK_FAILED when
 * CloudFormation refuses to start it or when it ends anywhere but success
 * (after printing the failed resources with their reasons).
 */
export async function runStackOperation(
  cf: CloudFormationApi,
  stack: Pick<DeployedStack, 'stackId' | 'stackName'>,
  operation: StackOperation,
  start: (token: string) => Promise<unknown>,
  options: WatchOptions,
): Promise<DeployedStack> {
  const token = newRequestToken(operation);
  const poller = new StackEventPoller(cf, stack.stackId, token);
  await poller.baseline();
  const monitor = new StackActivityMonitor(poller, options.io, stack.stackName);
  try {
    await start(token);
  } catch (error) {
    throw await startFailure(cf, stack, operation, error);
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
