// The main job, end to end: `sparta provision` of examples/hello (the real
// analysis, build, template and converge) against a real moto_server, then
// what moto modelled, checked through the SDK.
import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { ErrorCode } from '../../cli/errors';
import { functionIds } from '../../cli/template/ids';
import type { BuildReport } from '../../manifest/types';
import { runCli } from '../helpers/cli';
import { writeServiceProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';
import { EXAMPLES } from '../helpers/paths';
import { helloManifest } from '../template/services';

const test = suite<MotoContext>('examples/hello provisioned end to end');
withMoto(test);

const BUCKET = 'hello-artifacts';
const project = path.join(EXAMPLES, 'hello', 'tsconfig.json');
const out = fs.mkdtempSync(path.join(EXAMPLES, 'hello', '.sparta-e2e-'));
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };
const provision = (context: MotoContext, ...extra: string[]) =>
  runCli(['provision', '--s3-bucket', BUCKET, '--project', project, '--out', out, '--endpoint-url', context.moto.endpoint, ...extra], env);

const ids = (methodName: string) => functionIds({ service: 'hello-sparta', className: 'Hello', methodName });
const b64sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('base64');

test('provision creates the stack; each function runs its local archive; policies, rule and permissions exist', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const run = await provision(context);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /stack hello-sparta: CREATE_COMPLETE/);
  // moto does not model SNS subscriptions: the template holds it (test/template/hello.test.ts), moto did not create it.
  await expectMotoSkipped(aws.apis, 'hello-sparta', fs.readFileSync(path.join(out, 'hello-sparta', 'template.json'), 'utf8'), ['AWS::SNS::Subscription']);

  const physical = Object.fromEntries((await listStackResources(aws.apis.cloudFormation, 'hello-sparta')).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
  const report = JSON.parse(fs.readFileSync(path.join(out, 'hello-sparta', 'build.json'), 'utf8')) as BuildReport;
  const lambda = new LambdaClient(motoClientConfig(context.moto));
  for (const fn of helloManifest().functions) {
    const artifact = report.functions.find((a) => a.functionId === fn.id)!;
    const deployed = await lambda.send(new GetFunctionCommand({ FunctionName: physical[ids(fn.methodName).function] }));
    assert.is(deployed.Configuration?.CodeSha256, b64sha(path.join(out, 'hello-sparta', artifact.archive)), `${fn.id} runs the local archive`);
    assert.is(deployed.Configuration?.Handler, 'index.handler');
    assert.is(deployed.Configuration?.Runtime, 'nodejs24.x');
  }

  const tick = ids('tick');
  const { PolicyNames = [] } = await aws.sdk.iam.send(new ListRolePoliciesCommand({ RoleName: physical[tick.role] }));
  assert.is(PolicyNames.length, 1, 'one inline policy: the function\'s own');
  const policy = await aws.sdk.iam.send(new GetRolePolicyCommand({ RoleName: physical[tick.role], PolicyName: PolicyNames[0] }));
  const statements = JSON.parse(decodeURIComponent(policy.PolicyDocument ?? '{}')).Statement as { Action: string | string[] }[];
  const actions = statements.flatMap((statement) => ([] as string[]).concat(statement.Action)).sort();
  assert.equal(actions, ['logs:CreateLogStream', 'logs:PutLogEvents', 'sns:Publish']);

  const rule = Object.keys(physical).find((id) => id.startsWith(`${tick.function}Rule`) && !id.endsWith('Permission'))!;
  const targets = await new EventBridgeClient(motoClientConfig(context.moto)).send(new ListTargetsByRuleCommand({ Rule: physical[rule] }));
  const tickFunction = await lambda.send(new GetFunctionCommand({ FunctionName: physical[tick.function] }));
  assert.equal(targets.Targets?.map((t) => t.Arn), [tickFunction.Configuration?.FunctionArn]);
  assert.match((await lambda.send(new GetPolicyCommand({ FunctionName: physical[tick.function] }))).Policy ?? '', 'events.amazonaws.com');
  assert.match((await lambda.send(new GetPolicyCommand({ FunctionName: physical[ids('onAlert').function] }))).Policy ?? '', 'sns.amazonaws.com');
});

test('a second provision uploads nothing and makes no change set', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  assert.is((await provision(context)).code, 0);
  const before = await aws.sdk.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  const run = await provision(context);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, /no changes/);
  assert.not.match(run.stderr, /^uploaded |change set sparta-/m);
  const after = await aws.sdk.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  assert.equal(after.Contents?.map((o) => [o.Key, o.LastModified?.getTime()]), before.Contents?.map((o) => [o.Key, o.LastModified?.getTime()]));
});

test('delete removes the stack and keeps the bucket and its archives', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  assert.is((await provision(context)).code, 0);
  const run = await runCli(['delete', '--yes', '--project', project, '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 0, run.stdout);
  const describe = await runCli(['describe', '--project', project, '--endpoint-url', context.moto.endpoint], env);
  assert.is(describe.code, 1);
  assert.match(describe.stderr, 'SPARTA406');
  const objects = await aws.sdk.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'hello-sparta/' }));
  assert.ok((objects.KeyCount ?? 0) >= 4, 'three archives and the template remain');
});

const deployedResources = async (context: MotoContext) =>
  (await listStackResources(motoAws(context.moto).apis.cloudFormation, 'hello-sparta')).map((r) => `${r.ResourceType} ${r.LogicalResourceId}`).sort();

// The case: another folder declares @Service({ name: 'hello-sparta' }) with one unrelated function.
const intruder = () => writeServiceProject({ name: 'hello-sparta', functions: [{ id: 'Other.run', body: 'unrelated' }] });

test('another project that declares the same service name is refused, naming both projects; the stack keeps every resource', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  assert.is((await provision(context)).code, 0);
  const before = await deployedResources(context);
  const other = intruder();
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--project', other, '--endpoint-url', context.moto.endpoint, '--yes'], env);
  const output = run.stdout + run.stderr;
  assert.is(run.code, 1, output);
  assert.match(output, ErrorCode.STACK_OWNED_ELSEWHERE);
  // examples/hello has no package.json of its own: the repository's (name "sparta") is its package.
  assert.match(output, 'stack hello-sparta belongs to project sparta (examples/hello/tsconfig.json)');
  assert.match(output, `this is project ${path.basename(path.dirname(other))} (tsconfig.json)`);
  assert.equal(await deployedResources(context), before);
});

test('--force (with --yes, as it removes resources) lets another project take the stack over', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  assert.is((await provision(context)).code, 0);
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--project', intruder(), '--endpoint-url', context.moto.endpoint, '--force', '--yes'], env);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout + run.stderr, 'taking stack hello-sparta over from project sparta (examples/hello/tsconfig.json)');
  const functions = (await deployedResources(context)).filter((r) => r.startsWith('AWS::Lambda::Function '));
  assert.is(functions.length, 1);
});

test.after(() => fs.rmSync(out, { recursive: true, force: true }));

test.run();
