// Branches moto never reaches, against a scripted CloudFormation: resource
// events, rollbacks, every *_FAILED state, timeouts, interruption.
import { CreateChangeSetCommand, DeleteChangeSetCommand, DeleteStackCommand, ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spartaFailure } from '../helpers/errors';
import { converge, type ConvergeDeps } from '../../cli/converge/converge';
import { deleteService } from '../../cli/converge/delete';
import { collectingIo, type ConvergeMessage, type StackActivity } from '../../cli/converge/messages';
import { ErrorCode } from '../../cli/errors';
import { event, SCRIPTED_TAGS, scriptedAws, scriptedPlan, STACK, type Script } from './fake-cloudformation';

const test = suite('converge against a scripted CloudFormation');

function deps(aws: ReturnType<typeof scriptedAws>, extra: Partial<ConvergeDeps> = {}) {
  const io = collectingIo();
  return { io, deps: { aws: aws.apis, region: 'us-east-1', io, timeoutMs: 10_000, pollIntervalMs: 1, ...extra } as ConvergeDeps };
}

function streamed(messages: ConvergeMessage[]): string[] {
  return messages.filter((m): m is Extract<ConvergeMessage, { type: 'stack-event' }> => m.type === 'stack-event').map((m) => `${m.event.logicalId} ${m.event.status}`);
}

function failuresOf(messages: ConvergeMessage[]): StackActivity[] {
  const message = messages.find((m): m is Extract<ConvergeMessage, { type: 'stack-failures' }> => m.type === 'stack-failures');
  return message ? message.failures : [];
}


const updateSteps = (final: string, events: ReturnType<typeof event>[][]): Script['steps'] =>
  events.map((batch, i) => ({ status: i === events.length - 1 ? final : 'UPDATE_IN_PROGRESS', events: batch }));

test('streams every new resource event once, in order, across pages, and not the old ones', async () => {
  const old = event('Fn', 'CREATE_COMPLETE');
  const aws = scriptedAws({
    initial: 'CREATE_COMPLETE',
    history: [old],
    pageSize: 2,
    steps: updateSteps('UPDATE_COMPLETE', [
      [event(STACK, 'UPDATE_IN_PROGRESS', 'User Initiated')],
      [event('Fn', 'UPDATE_IN_PROGRESS'), event('Role', 'UPDATE_IN_PROGRESS', undefined, 'AWS::IAM::Role'), event('Role', 'UPDATE_COMPLETE', undefined, 'AWS::IAM::Role')],
      [event('Fn', 'UPDATE_COMPLETE'), event(STACK, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'), event(STACK, 'UPDATE_COMPLETE')],
    ]),
  });
  const { io, deps: d } = deps(aws);
  const result = await converge(scriptedPlan(), d);
  assert.is(result.type, 'deployed');
  assert.equal(streamed(io.messages), [
    `${STACK} UPDATE_IN_PROGRESS`,
    'Fn UPDATE_IN_PROGRESS',
    'Role UPDATE_IN_PROGRESS',
    'Role UPDATE_COMPLETE',
    'Fn UPDATE_COMPLETE',
    `${STACK} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`,
    `${STACK} UPDATE_COMPLETE`,
  ]);
});

test('the final poll prints the events that arrive with the terminal status', async () => {
  const aws = scriptedAws({
    initial: 'CREATE_COMPLETE',
    steps: [{ status: 'UPDATE_ROLLBACK_COMPLETE', events: [event('Fn', 'UPDATE_FAILED', 'Resource handler returned message: "boom"'), event(STACK, 'UPDATE_ROLLBACK_COMPLETE')] }],
  });
  const { io, deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_FAILED);
  assert.equal(streamed(io.messages), ['Fn UPDATE_FAILED', `${STACK} UPDATE_ROLLBACK_COMPLETE`]);
  assert.equal(failuresOf(io.messages).map((f) => f.reason), ['Resource handler returned message: "boom"']);
});

test('a first creation that rolls back fails with its reason and suggests --replace-failed', async () => {
  const aws = scriptedAws({
    steps: [
      { status: 'CREATE_IN_PROGRESS', events: [event(STACK, 'CREATE_IN_PROGRESS'), event('Fn', 'CREATE_FAILED', 'Role is invalid')] },
      { status: 'ROLLBACK_IN_PROGRESS', events: [event('Other', 'CREATE_FAILED', 'Resource creation cancelled')] },
      { status: 'ROLLBACK_COMPLETE', events: [event(STACK, 'ROLLBACK_COMPLETE')] },
    ],
  });
  const { io, deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_FAILED);
  assert.match(error.message, 'Role is invalid');
  assert.match(error.hint ?? '', '--replace-failed');
  // the cancellation is a consequence, not a cause
  assert.equal(failuresOf(io.messages).map((f) => f.logicalId), ['Fn']);
  assert.is(aws.cf.commandCalls(CreateChangeSetCommand)[0].args[0].input.ChangeSetType, 'CREATE');
});

test('a stack left in ROLLBACK_COMPLETE is refused before anything is uploaded', async () => {
  const aws = scriptedAws({ initial: 'ROLLBACK_COMPLETE', steps: [] });
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_NOT_UPDATABLE);
  assert.match(error.hint ?? '', '--replace-failed');
  assert.is(aws.s3.commandCalls(PutObjectCommand).length, 0);
  assert.is(aws.cf.commandCalls(CreateChangeSetCommand).length, 0);
});

test('--replace-failed deletes the failed stack, then creates it anew', async () => {
  const aws = scriptedAws({
    initial: 'ROLLBACK_COMPLETE',
    steps: [{ status: 'DELETE_COMPLETE', events: [event(STACK, 'DELETE_COMPLETE')] }],
    later: [[{ status: 'CREATE_COMPLETE', events: [event(STACK, 'CREATE_COMPLETE')] }]],
  });
  const { io, deps: d } = deps(aws);
  const result = await converge(scriptedPlan({ replaceFailed: true }), d);
  assert.is(result.type, 'deployed');
  assert.is(aws.cf.commandCalls(DeleteStackCommand).length, 1);
  assert.is(aws.cf.commandCalls(CreateChangeSetCommand)[0].args[0].input.ChangeSetType, 'CREATE');
  assert.equal(
    io.messages.filter((m) => m.type === 'replacing-failed-stack' || m.type === 'executing').map((m) => m.type),
    ['replacing-failed-stack', 'executing'],
  );
});

test('UPDATE_ROLLBACK_FAILED says what failed and how to continue the rollback', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [
      { status: 'UPDATE_ROLLBACK_IN_PROGRESS', events: [event('Fn', 'UPDATE_FAILED', 'bad code')] },
      { status: 'UPDATE_ROLLBACK_FAILED', events: [event('Table', 'UPDATE_FAILED', 'changed outside CloudFormation', 'AWS::DynamoDB::Table')] },
    ],
  });
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_FAILED);
  assert.match(error.message, 'UPDATE_ROLLBACK_FAILED');
  assert.match(error.message, 'changed outside CloudFormation');
  assert.match(error.hint ?? '', 'continue-update-rollback');
  assert.match(error.hint ?? '', '--resources-to-skip Fn Table');
});

test('a stack already in UPDATE_ROLLBACK_FAILED is refused with the way out', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_ROLLBACK_FAILED', steps: [] });
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_NOT_UPDATABLE);
  assert.match(error.hint ?? '', 'continue-update-rollback');
});

test('DELETE_FAILED fails the delete with the resources that blocked it', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [
      { status: 'DELETE_IN_PROGRESS', events: [event(STACK, 'DELETE_IN_PROGRESS')] },
      { status: 'DELETE_FAILED', events: [event('Images', 'DELETE_FAILED', 'The bucket you tried to delete is not empty', 'AWS::S3::Bucket')] },
    ],
  });
  const io = collectingIo();
  const error = await spartaFailure(() => deleteService({ stackName: STACK, purgeArtifacts: false }, { aws: aws.apis, io, timeoutMs: 10_000, pollIntervalMs: 1 }));
  assert.is(error.code, ErrorCode.STACK_FAILED);
  assert.match(error.message, 'not empty');
  assert.match(error.hint ?? '', '--retain-resources');
  assert.equal(failuresOf(io.messages).map((f) => f.logicalId), ['Images']);
});

test('a stack in DELETE_FAILED is refused by provision', async () => {
  const aws = scriptedAws({ initial: 'DELETE_FAILED', steps: [] });
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.STACK_NOT_UPDATABLE);
});

test('waiting gives up at the client-side timeout and says the operation continues', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [{ status: 'UPDATE_IN_PROGRESS' }] });
  const { deps: d } = deps(aws, { timeoutMs: 150, pollIntervalMs: 20 });
  const started = Date.now();
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.WAIT_TIMEOUT);
  assert.match(error.hint ?? '', 'keeps running');
  assert.ok(Date.now() - started < 2000, 'gave up promptly');
});

test('Ctrl-C while the stack updates stops waiting and says how to follow the operation', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [{ status: 'UPDATE_IN_PROGRESS', events: [event(STACK, 'UPDATE_IN_PROGRESS')] }] });
  const controller = new AbortController();
  const io = collectingIo();
  const abortOnFirstEvent = { emit: (m: ConvergeMessage) => (io.emit(m), m.type === 'stack-event' && controller.abort()) };
  const { deps: d } = deps(aws, { io: abortOnFirstEvent, pollIntervalMs: 20, signal: controller.signal });
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.INTERRUPTED);
  assert.match(error.hint ?? '', 'sparta describe');
  assert.is(aws.cf.commandCalls(ExecuteChangeSetCommand).length, 1);
});

test('a stack busy with another operation is waited for first', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_IN_PROGRESS', steps: [] });
  let lookups = 0;
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  aws.cf.on(DescribeStacksCommand).callsFake(async () => {
    lookups += 1;
    const status = lookups < 3 ? 'UPDATE_IN_PROGRESS' : 'UPDATE_COMPLETE';
    return { Stacks: [{ StackName: STACK, StackId: 'arn:x', StackStatus: status, CreationTime: new Date(), Parameters: [{ ParameterKey: 'ArtifactBucket', ParameterValue: 'scripted-bucket' }], Tags: SCRIPTED_TAGS }] };
  });
  const { io, deps: d } = deps(aws);
  const result = await converge(scriptedPlan(), d);
  assert.is(result.type, 'deployed');
  assert.equal(io.messages[0], { type: 'waiting-for-stack', stackName: STACK, status: 'UPDATE_IN_PROGRESS' });
});

test('an empty change set (AWS: FAILED, "didn\'t contain changes") is deleted and nothing executes', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [],
    changes: [],
    changeSetStatus: { Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." },
  });
  const { deps: d } = deps(aws);
  const result = await converge(scriptedPlan(), d);
  assert.is(result.type, 'noOp');
  assert.is(aws.cf.commandCalls(DeleteChangeSetCommand).length, 1);
  assert.is(aws.cf.commandCalls(ExecuteChangeSetCommand).length, 0);
});

test('a change set CloudFormation rejects fails with its reason and is deleted', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [], changeSetStatus: { Status: 'FAILED', StatusReason: 'Template format error: Unresolved resource dependencies [Nope]' } });
  const { deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.CHANGE_SET_FAILED);
  assert.match(error.message, 'Unresolved resource dependencies');
  assert.is(aws.cf.commandCalls(DeleteChangeSetCommand).length, 1);
  assert.is(aws.cf.commandCalls(ExecuteChangeSetCommand).length, 0);
});

test('a destructive change set asks first; answering no discards it', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [],
    changes: [{ Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'Table', ResourceType: 'AWS::DynamoDB::Table', Replacement: 'True' } }],
  });
  const asked: string[] = [];
  const { deps: d } = deps(aws, { approval: { mode: 'ask', confirm: async (changes) => (asked.push(...changes.map((c) => c.logicalId)), false) } });
  const result = await converge(scriptedPlan(), d);
  assert.is(result.type, 'declined');
  assert.equal(asked, ['Table']);
  assert.is(aws.cf.commandCalls(ExecuteChangeSetCommand).length, 0);
  assert.is(aws.cf.commandCalls(DeleteChangeSetCommand).length, 1);
});

test('with nobody to ask, a destructive change set is refused with a hint to --yes, deleted and never executed', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [],
    changes: [
      { Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: 'Old', ResourceType: 'AWS::Lambda::Function' } },
      { Type: 'Resource', ResourceChange: { Action: 'Modify', LogicalResourceId: 'Fn', ResourceType: 'AWS::Lambda::Function', Replacement: 'False' } },
    ],
  });
  const { io, deps: d } = deps(aws);
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.CONFIRMATION_REQUIRED);
  assert.match(error.hint ?? '', '--yes');
  const listed = io.messages.find((m) => (m as { type: string }).type === 'destructive-changes') as { changes: { logicalId: string }[] } | undefined;
  assert.equal(listed?.changes.map((c) => c.logicalId), ['Old'], 'only the destructive rows');
  assert.is(aws.cf.commandCalls(ExecuteChangeSetCommand).length, 0);
  assert.is(aws.cf.commandCalls(DeleteChangeSetCommand).length, 1);
});

test('an unchanged stack whose bucket may not be listed (no s3:ListBucket) is deployed, each archive verified, instead of failing', async () => {
  const template = JSON.stringify({ Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: { Ref: 'ArtifactBucket' }, S3Key: `${STACK}/Fn-0123456789abcdef.zip` } } } } });
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [{ status: 'UPDATE_COMPLETE' }], deployedTemplate: template });
  aws.s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
  const { deps: d } = deps(aws);
  const result = await converge(scriptedPlan({ templateBody: template }), d);
  assert.is(result.type, 'deployed');
  assert.is(aws.cf.commandCalls(CreateChangeSetCommand).length, 1);
  assert.is(aws.s3.commandCalls(PutObjectCommand).length, 1, 'only the template: the archive matched its checksum');
});

test('a change set that only modifies in place does not ask', async () => {
  const aws = scriptedAws({ initial: 'UPDATE_COMPLETE', steps: [{ status: 'UPDATE_COMPLETE' }] });
  let asked = false;
  const { deps: d } = deps(aws, { approval: { mode: 'ask', confirm: async () => (asked = true) } });
  const result = await converge(scriptedPlan(), d);
  assert.is(result.type, 'deployed');
  assert.is(asked, false);
});

test('a signal (SIGTERM) while the question is open interrupts: the change set is deleted and never executed', async () => {
  const aws = scriptedAws({
    initial: 'UPDATE_COMPLETE',
    steps: [],
    changes: [{ Type: 'Resource', ResourceChange: { Action: 'Remove', LogicalResourceId: 'Old', ResourceType: 'AWS::Lambda::Function' } }],
  });
  const controller = new AbortController();
  // The person never answers; the signal arrives while the question waits, and the prompt gives up as no.
  const confirm = async () => {
    controller.abort();
    return false;
  };
  const { deps: d } = deps(aws, { signal: controller.signal, approval: { mode: 'ask', confirm } });
  const error = await spartaFailure(() => converge(scriptedPlan(), d));
  assert.is(error.code, ErrorCode.INTERRUPTED);
  assert.is(aws.cf.commandCalls(ExecuteChangeSetCommand).length, 0);
  assert.is(aws.cf.commandCalls(DeleteChangeSetCommand).length, 1);
});

test.run();
