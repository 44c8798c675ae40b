// converge() end to end against a real moto_server: what moto models is
// checked through the SDK (Lambda, IAM, EventBridge), not through sparta.
import { CreateStackCommand, GetTemplateCommand, ListStacksCommand, type CreateChangeSetCommandInput } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { converge, type ConvergeDeps } from '../../cli/converge/converge';
import { collectingIo } from '../../cli/converge/messages';
import { listStackResources, lookupStack } from '../../cli/converge/stack';
import { ErrorCode, SpartaError } from '../../cli/errors';
import { prepareDeployment } from '../../cli/pipeline';
import { buildHandmade, planOf, writeServiceProject, type HandmadeService } from '../helpers/handmade';
import { motoAws, motoClientConfig, withMoto, type MotoAws, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('provision against moto');
withMoto(test);

const BUCKET = 'sparta-artifacts';
const workDir = mkdtempSync(path.join(tmpdir(), 'sparta-provision-'));

function service(versions: { hello?: string; tick?: string; helloEnv?: Record<string, unknown> } = {}): HandmadeService {
  return {
    name: 'greeter',
    tags: { team: 'examples' },
    functions: [
      { id: 'Greeter.hello', body: `hello ${versions.hello ?? 'v1'}`, environment: versions.helloEnv },
      { id: 'Greeter.tick', body: `tick ${versions.tick ?? 'v1'}`, schedule: 'rate(5 minutes)' },
    ],
  };
}

async function setup(context: MotoContext) {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const io = collectingIo();
  const deps: ConvergeDeps = { aws: aws.apis, region: 'us-east-1', io, timeoutMs: 60_000, pollIntervalMs: 50 };
  const provision = (svc: HandmadeService, overrides = {}) => converge(planOf(buildHandmade(svc, workDir), BUCKET, overrides), deps);
  return { aws, io, deps, provision };
}

/** The inputs of every CreateChangeSet the client sends. */
function createChangeSetInputs(aws: MotoAws): CreateChangeSetCommandInput[] {
  const inputs: CreateChangeSetCommandInput[] = [];
  const capture = (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
    if (context.commandName === 'CreateChangeSetCommand') inputs.push(structuredClone(args.input) as CreateChangeSetCommandInput);
    return next(args);
  };
  aws.sdk.cloudFormation.middlewareStack.add(capture as never, { step: 'initialize', name: `captureCreateChangeSet${Math.random()}` });
  return inputs;
}

const b64sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

async function physicalIds(context: MotoContext, stackName: string): Promise<Record<string, string>> {
  const resources = await listStackResources(motoAws(context.moto).apis.cloudFormation, stackName);
  return Object.fromEntries(resources.map((r) => [r.LogicalResourceId ?? '', r.PhysicalResourceId ?? '']));
}

test('create: the stack reaches CREATE_COMPLETE and every function, policy, rule and permission exists', async (context) => {
  const { provision } = await setup(context);
  const build = buildHandmade(service(), workDir);
  const result = await provision(service());
  assert.is(result.type, 'deployed');
  if (result.type !== 'deployed') return;
  assert.is(result.status, 'CREATE_COMPLETE');
  assert.is(result.operation, 'create');

  const ids = await physicalIds(context, 'greeter');
  const lambda = new LambdaClient(motoClientConfig(context.moto));
  for (const artifact of build.artifacts) {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: ids[artifact.logicalId] }));
    assert.is(fn.Configuration?.CodeSha256, b64sha(artifact.bytes), `${artifact.functionId} runs the local archive`);
  }
  const iam = motoAws(context.moto).sdk.iam;
  const policies = await iam.send(new ListRolePoliciesCommand({ RoleName: ids.GreeterhelloRole }));
  assert.equal(policies.PolicyNames, ['GreeterhelloLogs']);
  const policy = await iam.send(new GetRolePolicyCommand({ RoleName: ids.GreeterhelloRole, PolicyName: 'GreeterhelloLogs' }));
  assert.match(decodeURIComponent(policy.PolicyDocument ?? ''), 'logs:PutLogEvents');

  const events = new EventBridgeClient(motoClientConfig(context.moto));
  const targets = await events.send(new ListTargetsByRuleCommand({ Rule: ids.GreetertickSchedule }));
  const tick = await lambda.send(new GetFunctionCommand({ FunctionName: ids.Greetertick }));
  assert.equal(targets.Targets?.map((t) => t.Arn), [tick.Configuration?.FunctionArn]);
  const permission = await lambda.send(new GetPolicyCommand({ FunctionName: ids.Greetertick }));
  assert.match(permission.Policy ?? '', 'events.amazonaws.com');

  const deployed = await motoAws(context.moto).sdk.cloudFormation.send(new GetTemplateCommand({ StackName: 'greeter' }));
  assert.equal(JSON.parse(deployed.TemplateBody ?? ''), build.template);
  assert.equal(result.functions.map((f) => f.logicalId), ['Greeterhello', 'Greetertick']);
  assert.equal((await lookupStack(motoAws(context.moto).apis.cloudFormation, 'greeter'))?.tags, { team: 'examples', 'sparta:project': 'handmade', 'sparta:tsconfig': 'tsconfig.json' });
});

test('no-op: a second provision of the same build uploads nothing and makes no change set', async (context) => {
  const { aws, provision } = await setup(context);
  await provision(service());
  aws.counter.reset();
  const result = await provision(service());
  assert.is(result.type, 'noOp');
  assert.is(aws.counter.count('PutObject'), 0);
  assert.is(aws.counter.count('CreateChangeSet'), 0);
  assert.is(aws.counter.count('ExecuteChangeSet'), 0);
});

test('one function changed: exactly one archive is uploaded and only that function changes', async (context) => {
  const { aws, io, provision } = await setup(context);
  await provision(service());
  const ids = await physicalIds(context, 'greeter');
  const lambda = new LambdaClient(motoClientConfig(context.moto));
  const tickBefore = (await lambda.send(new GetFunctionCommand({ FunctionName: ids.Greetertick }))).Configuration?.CodeSha256;
  aws.counter.reset();
  io.messages.length = 0;

  const result = await provision(service({ hello: 'v2' }));
  assert.is(result.type, 'deployed');
  if (result.type !== 'deployed') return;
  const uploadedArchives = io.messages.filter((m) => m.type === 'artifact' && m.action === 'uploaded').map((m) => (m as { key: string }).key);
  const changed = buildHandmade(service({ hello: 'v2' }), workDir).artifacts.find((a) => a.functionId === 'Greeter.hello')!;
  assert.equal(uploadedArchives, [changed.key]);
  assert.is(aws.counter.count('PutObject'), 2, 'the archive and the new template');
  assert.equal(result.changes.map((c) => `${c.action} ${c.logicalId}`), ['Modify Greeterhello']);
  const hello = await lambda.send(new GetFunctionCommand({ FunctionName: ids.Greeterhello }));
  assert.is(hello.Configuration?.CodeSha256, b64sha(changed.bytes));
  const tickAfter = (await lambda.send(new GetFunctionCommand({ FunctionName: ids.Greetertick }))).Configuration?.CodeSha256;
  assert.is(tickAfter, tickBefore);
});

test('a rejected update fails with the reason; the previous version stays and can still be updated', async (context) => {
  const { provision } = await setup(context);
  const first = buildHandmade(service(), workDir);
  await provision(service());
  try {
    await provision(service({ helloEnv: { BROKEN: { 'Fn::GetAtt': ['GreeterhelloRole', 'NoSuchAttribute'] } } }));
    assert.unreachable('the update should fail');
  } catch (error) {
    assert.ok(SpartaError.is(error), String(error));
    assert.is((error as SpartaError).code, ErrorCode.STACK_FAILED);
    assert.match((error as SpartaError).message, 'NoSuchAttribute');
  }
  const cf = motoAws(context.moto);
  assert.is((await lookupStack(cf.apis.cloudFormation, 'greeter'))?.status, 'CREATE_COMPLETE');
  const deployed = await cf.sdk.cloudFormation.send(new GetTemplateCommand({ StackName: 'greeter' }));
  assert.equal(JSON.parse(deployed.TemplateBody ?? ''), first.template);

  const fixed = await provision(service({ hello: 'v3' }));
  assert.is(fixed.type, 'deployed');
  assert.is(fixed.type === 'deployed' && fixed.status, 'UPDATE_COMPLETE');
});

test('--noop prints the change set and leaves nothing behind', async (context) => {
  const { aws, io, provision } = await setup(context);
  const result = await provision(service(), { noop: true });
  assert.is(result.type, 'preview');
  assert.ok(io.messages.some((m) => m.type === 'change-set' && m.changes.length > 0));
  assert.is(aws.counter.count('ExecuteChangeSet'), 0);
  const stacks = await aws.sdk.cloudFormation.send(new ListStacksCommand({}));
  assert.equal(stacks.StackSummaries?.filter((s) => s.StackStatus !== 'DELETE_COMPLETE'), []);
});

test('a missing role fails before anything is uploaded, naming the role', async (context) => {
  const { aws, provision } = await setup(context);
  const role = 'arn:aws:iam::123456789012:role/not-there';
  const svc = service();
  svc.functions[0].role = role;
  try {
    await provision(svc);
    assert.unreachable('a missing role must fail');
  } catch (error) {
    assert.is((error as SpartaError).code, ErrorCode.ROLE_NOT_FOUND);
    assert.match((error as SpartaError).message, role);
  }
  const objects = await aws.sdk.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  assert.is(objects.KeyCount, 0);
  assert.is(aws.counter.count('CreateChangeSet'), 0);
});

test('a function with an existing role uses it and gets no generated role', async (context) => {
  const { aws, provision } = await setup(context);
  const { CreateRoleCommand } = await import('@aws-sdk/client-iam');
  const created = await aws.sdk.iam.send(
    new CreateRoleCommand({ RoleName: 'shared-lambda', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }),
  );
  const svc = service();
  svc.functions[0].role = created.Role?.Arn;
  const result = await provision(svc);
  assert.is(result.type, 'deployed');
  const ids = await physicalIds(context, 'greeter');
  assert.is(ids.GreeterhelloRole, undefined);
  const fn = await new LambdaClient(motoClientConfig(context.moto)).send(new GetFunctionCommand({ FunctionName: ids.Greeterhello }));
  assert.is(fn.Configuration?.Role, created.Role?.Arn);
});

test('a missing bucket is a clear error and nothing is created', async (context) => {
  const { aws, deps } = await setup(context);
  try {
    await converge(planOf(buildHandmade(service(), workDir), 'no-such-bucket'), deps);
    assert.unreachable('a missing bucket must fail');
  } catch (error) {
    assert.is((error as SpartaError).code, ErrorCode.BUCKET_NOT_FOUND);
  }
  assert.is(aws.counter.count('PutObject'), 0);
  assert.is(aws.counter.count('CreateChangeSet'), 0);
});

test('removing every service tag reaches the stack: the no-op check compares tags, and the change set names the full new set', async (context) => {
  const { aws, io, provision } = await setup(context);
  await provision(service());
  const inputs = createChangeSetInputs(aws);
  io.messages.length = 0;
  const untagged = { ...service(), tags: undefined };
  await provision(untagged);
  assert.is(inputs.length, 1, 'the same template with other tags is not a no-op');
  const tags = Object.fromEntries((inputs[0].Tags ?? []).map((tag) => [tag.Key, tag.Value]));
  // What stays is the identity of the project (the hand-made plans' own); `team` is gone.
  assert.equal(tags, { 'sparta:project': 'handmade', 'sparta:tsconfig': 'tsconfig.json' });
});

test('a stack an earlier sparta deployed (a sparta template, no identity tags) is adopted: the update adds the identity tags', async (context) => {
  const { aws, io, deps } = await setup(context);
  const tsconfig = writeServiceProject({ name: 'legacy-svc', functions: [{ id: 'Api.get', body: 'get' }] });
  const plan = await prepareDeployment({ tsconfigPath: tsconfig, bucket: BUCKET });
  for (const artifact of plan.artifacts) {
    await aws.sdk.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: artifact.key, Body: readFileSync(artifact.file) }));
  }
  await aws.sdk.cloudFormation.send(
    new CreateStackCommand({ StackName: 'legacy-svc', TemplateBody: plan.templateBody, Parameters: [{ ParameterKey: 'ArtifactBucket', ParameterValue: BUCKET }], Capabilities: ['CAPABILITY_IAM'] }),
  );
  const inputs = createChangeSetInputs(aws);
  const result = await converge(plan, deps);
  assert.ok(result.type === 'noOp' || result.type === 'deployed', result.type);
  assert.ok(io.messages.some((m) => (m as { type: string }).type === 'stack-adopted'), 'says it adopts the stack');
  assert.is(inputs.length, 1, 'an update carries the identity to the stack');
  const tags = Object.fromEntries((inputs[0].Tags ?? []).map((tag) => [tag.Key, tag.Value]));
  assert.is(tags['sparta:project'], path.basename(path.dirname(tsconfig)), 'no package.json: the project folder names the project');
  assert.is(tags['sparta:tsconfig'], 'tsconfig.json');
});

test.run();
