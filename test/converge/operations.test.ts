// How a stack operation starts and whose outcome it reports, against a
// scripted CloudFormation: another operation holding the stack, a change set
// made obsolete, a start whose outcome is unknown, and another operation's
// events on the same stack (states moto never reaches: it completes every
// operation synchronously and stamps no tokens on events).
import { DeleteChangeSetCommand, DeleteStackCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { converge, type ConvergeDeps } from '../../cli/converge/converge';
import { deleteService } from '../../cli/converge/delete';
import { collectingIo, type ConvergeMessage } from '../../cli/converge/messages';
import { ErrorCode } from '../../cli/errors';
import { spartaFailure } from '../helpers/errors';
import { awsError, event, OWN_TOKEN, scriptedAws, scriptedPlan, STACK, STACK_ID } from './fake-cloudformation';

const test = suite('starting and following one stack operation');

function deps(aws: ReturnType<typeof scriptedAws>) {
  const io = collectingIo();
  return { io, deps: { aws: aws.apis, region: 'us-east-1', io, timeoutMs: 5_000, pollIntervalMs: 1 } as ConvergeDeps };
}

const streamed = (messages: ConvergeMessage[]) =>
  messages.filter((m): m is Extract<ConvergeMessage, { type: 'stack-event' }> => m.type === 'stack-event').map((m) => `${m.event.logicalId} ${m.event.status}`);

const codesIn = (text: string) => text.match(/SPARTA\d{3}/g) ?? [];

test('an execution refused because another operation runs on the stack is STACK_BUSY, and our change set is discarded', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [] });
  aws.cf.on(ExecuteChangeSetCommand).rejects(awsError('ValidationError', `Stack:${STACK_ID} is in UPDATE_IN_PROGRESS state and can not be updated.`));
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_BUSY);
  assert.match(error.message, `stack ${STACK} is busy with another operation`);
  assert.match(error.hint ?? '', 'wait for the other operation to finish');
  assert.match(error.hint ?? '', `sparta describe --service ${STACK}`);
  assert.is(aws.cf.commandCalls(DeleteChangeSetCommand).length, 1);
});

test('a change set made obsolete by another execution is STACK_BUSY, not a failure of the template', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [] });
  aws.cf.on(ExecuteChangeSetCommand).rejects(awsError('InvalidChangeSetStatus', 'ChangeSet [arn:changeSet/cs-1] cannot be executed in its current status of [OBSOLETE]'));
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_BUSY);
  assert.is(aws.cf.commandCalls(DeleteChangeSetCommand).length, 1);
});

test('a connection failure during execution keeps its one code and one hint, and says the outcome is open', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [] });
  aws.cf.on(ExecuteChangeSetCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.ENDPOINT_UNREACHABLE);
  assert.equal(codesIn(String(error)), [ErrorCode.ENDPOINT_UNREACHABLE], error.message);
  assert.is(String(error).match(/hint:/g)?.length, 1, error.message);
  assert.not.match(error.message, 'SpartaError');
  assert.not.match(error.message, 'nothing was applied');
  assert.match(error.message, `the update of stack ${STACK} may or may not have started`);
  assert.match(error.hint ?? '', `sparta describe --service ${STACK}`);
});

test('a server error during execution does not claim that nothing was applied', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [] });
  aws.cf.on(ExecuteChangeSetCommand).rejects(awsError('InternalFailure', 'We encountered an internal error. Please try again.', 500));
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.not.match(error.message, 'nothing was applied');
  assert.match(error.message, 'may or may not have started');
  assert.is(codesIn(String(error)).length, 1, error.message);
});

test('a refusal CloudFormation answered says that nothing was applied and in which state the stack still is', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [] });
  aws.cf.on(ExecuteChangeSetCommand).rejects(awsError('ValidationError', 'Parameters: [ArtifactBucket] must have values'));
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_FAILED);
  assert.match(error.message, 'ValidationError: Parameters: [ArtifactBucket] must have values');
  assert.match(error.hint ?? '', 'nothing was applied; the stack is still UPDATE_COMPLETE');
});

test('execution and deletion each pass a fresh ClientRequestToken', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [{ status: 'UPDATE_COMPLETE' }],
    later: [[{ status: 'DELETE_COMPLETE' }]],
  });
  const { deps: d } = deps(aws);
  await converge(scriptedPlan(), d);
  await deleteService({ stackName: STACK, purgeArtifacts: false }, { aws: aws.apis, io: collectingIo(), timeoutMs: 5_000, pollIntervalMs: 1 });
  const executed = aws.cf.commandCalls(ExecuteChangeSetCommand)[0].args[0].input.ClientRequestToken ?? '';
  const deleted = aws.cf.commandCalls(DeleteStackCommand)[0].args[0].input.ClientRequestToken ?? '';
  assert.match(executed, /^[A-Za-z][-A-Za-z0-9]{0,127}$/);
  assert.match(deleted, /^[A-Za-z][-A-Za-z0-9]{0,127}$/);
  assert.is.not(executed, deleted);
});

test("another operation's events are not shown, and its success is not taken for ours", async () => {
  const other = 'Console-UpdateStack-0f00';
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [
      // The stack settles after someone else's update before ours shows up.
      { status: 'UPDATE_COMPLETE', events: [event('Other', 'UPDATE_COMPLETE', undefined, 'AWS::SNS::Topic', other), event(STACK, 'UPDATE_COMPLETE', undefined, undefined, other)] },
      { status: 'UPDATE_IN_PROGRESS', events: [event(STACK, 'UPDATE_IN_PROGRESS', 'User Initiated', undefined, OWN_TOKEN), event('Fn', 'UPDATE_IN_PROGRESS', undefined, undefined, OWN_TOKEN)] },
      { status: 'UPDATE_ROLLBACK_COMPLETE', events: [event('Fn', 'UPDATE_FAILED', 'bad code', undefined, OWN_TOKEN), event(STACK, 'UPDATE_ROLLBACK_COMPLETE', undefined, undefined, OWN_TOKEN)] },
    ],
  });
  const { io, deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_FAILED);
  assert.match(error.message, 'bad code');
  assert.equal(streamed(io.messages), [`${STACK} UPDATE_IN_PROGRESS`, 'Fn UPDATE_IN_PROGRESS', 'Fn UPDATE_FAILED', `${STACK} UPDATE_ROLLBACK_COMPLETE`]);
});

test('our own end event decides the outcome, even when another operation already holds the stack again', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [
      { status: 'UPDATE_IN_PROGRESS', events: [event(STACK, 'UPDATE_IN_PROGRESS', 'User Initiated', undefined, OWN_TOKEN)] },
      { status: 'UPDATE_IN_PROGRESS', events: [event(STACK, 'UPDATE_COMPLETE', undefined, undefined, OWN_TOKEN), event(STACK, 'UPDATE_IN_PROGRESS', 'User Initiated', undefined, 'someone-else')] },
    ],
  });
  const { io, deps: d } = deps(aws);
  const result = await converge(scriptedPlan(), d);
  assert.is(result.type, 'deployed');
  assert.is(result.type === 'deployed' && result.status, 'UPDATE_COMPLETE');
  assert.equal(streamed(io.messages), [`${STACK} UPDATE_IN_PROGRESS`, `${STACK} UPDATE_COMPLETE`]);
});

test.run();
