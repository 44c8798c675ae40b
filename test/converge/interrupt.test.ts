// Stops from outside against a real moto_server: an abort (what Ctrl-C and
// SIGTERM become) between creating and executing the change set, and a
// connection that fails at the moment of execution.
import { DescribeStacksCommand, ListChangeSetsCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { converge, type ConvergeDeps } from '../../cli/converge/converge';
import { collectingIo, type ConvergeIo, type ConvergeMessage } from '../../cli/converge/messages';
import { createAwsApis } from '../../cli/converge/api';
import { createSdkClients } from '../../cli/converge/clients';
import { ErrorCode } from '../../cli/errors';
import { spartaFailure } from '../helpers/errors';
import { buildHandmade, planOf, type HandmadeService } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, withMoto, type MotoContext } from '../helpers/moto';
import { startActionProxy } from './proxy';

const test = suite<MotoContext>('interrupting provision against moto');
withMoto(test);

const BUCKET = 'interrupt-artifacts';
const workDir = mkdtempSync(path.join(tmpdir(), 'sparta-interrupt-'));
const service = (version: string): HandmadeService => ({ name: 'stopped', functions: [{ id: 'Api.get', body: `get ${version}` }] });

function deps(aws: ReturnType<typeof motoAws>['apis'], io: ConvergeIo, signal?: AbortSignal): ConvergeDeps {
  return { aws, region: MOTO_REGION, io, timeoutMs: 60_000, pollIntervalMs: 50, signal };
}

/** An io that aborts as soon as the change set is shown: after creating it, before executing it. */
function abortAtChangeSet() {
  const controller = new AbortController();
  const io = collectingIo();
  let changeSetName: string | undefined;
  const emit = (message: ConvergeMessage) => {
    io.emit(message);
    if (message.type === 'change-set') {
      changeSetName = message.changeSetName;
      controller.abort();
    }
  };
  return { signal: controller.signal, io: { emit }, messages: io.messages, changeSetName: () => changeSetName };
}

async function changeSetsOf(context: MotoContext, stackName: string) {
  const listed = await motoAws(context.moto).sdk.cloudFormation.send(new ListChangeSetsCommand({ StackName: stackName }));
  return (listed.Summaries ?? []).map((s) => ({ name: s.ChangeSetName, execution: s.ExecutionStatus }));
}

async function liveStacks(context: MotoContext): Promise<string[]> {
  const stacks = await motoAws(context.moto).sdk.cloudFormation.send(new ListStacksCommand({}));
  return (stacks.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => `${s.StackName} ${s.StackStatus}`);
}

test('an abort before a creation executes removes our change set and the REVIEW_IN_PROGRESS stack holding it', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const stop = abortAtChangeSet();
  const error = await spartaFailure(() => converge(planOf(buildHandmade(service('v1'), workDir), BUCKET), deps(aws.apis, stop.io, stop.signal)));
  assert.is(error.code, ErrorCode.INTERRUPTED);
  assert.ok(stop.changeSetName(), 'the change set was created and shown');
  assert.is(aws.counter.count('ExecuteChangeSet'), 0);
  assert.equal(await liveStacks(context), []);
});

test('an abort before an update executes removes our change set; the stack keeps its version', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await converge(planOf(buildHandmade(service('v1'), workDir), BUCKET), deps(aws.apis, collectingIo()));
  const before = (await aws.sdk.cloudFormation.send(new DescribeStacksCommand({ StackName: 'stopped' }))).Stacks?.[0];

  const stop = abortAtChangeSet();
  const error = await spartaFailure(() => converge(planOf(buildHandmade(service('v2'), workDir), BUCKET), deps(aws.apis, stop.io, stop.signal)));
  assert.is(error.code, ErrorCode.INTERRUPTED);
  const sets = await changeSetsOf(context, 'stopped');
  assert.ok(stop.changeSetName());
  assert.not.ok(sets.some((s) => s.name === stop.changeSetName()), `our change set is gone: ${JSON.stringify(sets)}`);
  assert.equal(sets.filter((s) => s.execution === 'AVAILABLE'), []);
  const after = (await aws.sdk.cloudFormation.send(new DescribeStacksCommand({ StackName: 'stopped' }))).Stacks?.[0];
  assert.is(after?.StackStatus, 'CREATE_COMPLETE');
  assert.equal(after?.LastUpdatedTime, before?.LastUpdatedTime);
});

test('a connection that fails at execution is one error: one code, one hint, and the outcome is open', async (context) => {
  const direct = motoAws(context.moto);
  await direct.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const proxy = await startActionProxy(context.moto.port);
  try {
    proxy.decide = (action) => (action === 'ExecuteChangeSet' ? 'cut' : 'pass');
    const sdk = createSdkClients({ endpointUrl: proxy.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const error = await spartaFailure(() => converge(planOf(buildHandmade(service('v1'), workDir), BUCKET), deps(createAwsApis(sdk), collectingIo())));
    assert.is(error.code, ErrorCode.ENDPOINT_UNREACHABLE);
    assert.equal(String(error).match(/SPARTA\d{3}/g), [ErrorCode.ENDPOINT_UNREACHABLE], error.message);
    assert.is(String(error).match(/hint:/g)?.length, 1, error.message);
    assert.not.match(error.message, 'SpartaError');
    assert.not.match(error.message, 'nothing was applied');
    assert.match(error.message, 'may or may not have started');
    assert.match(error.hint ?? '', 'sparta describe --service stopped');
  } finally {
    await proxy.close();
  }
  // Behind the cut, CloudFormation never got the execution.
  assert.equal(await liveStacks(context), ['stopped REVIEW_IN_PROGRESS']);
});

test.run();
