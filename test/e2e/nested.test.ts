// A service past one stack's limits, end to end on moto: 500 functions build,
// nest into child stacks, provision, describe and delete through the CLI.
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { LambdaClient, ListFunctionsCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { runCli } from '../helpers/cli';
import { writeProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';

const test = suite<MotoContext>('a 500-function service in nested stacks, end to end');
withMoto(test);

const FUNCTIONS = 500;
const PER_CLASS = 25;
const SERVICE = 'wide-service';
const BUCKET = 'wide-artifacts';

/** 20 classes of 25 methods: what the bench's generated service is, in fewer files. */
function sources(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let c = 0; c < FUNCTIONS / PER_CLASS; c++) {
    const methods = Array.from({ length: PER_CLASS }, (_, m) => `  @Lambda({ memorySize: ${128 + (m % 4) * 128} })\n  handle${c * PER_CLASS + m}(event: { n: number }) {\n    return { n: event.n + ${c * PER_CLASS + m} };\n  }\n`);
    files[`src/worker${c}.ts`] = `import { Lambda, Service } from 'sparta';\n\n@Service({ name: '${SERVICE}' })\nexport class Worker${c} {\n${methods.join('\n')}}\n`;
  }
  return files;
}

const root = writeProject(sources());
const project = path.join(root, 'tsconfig.json');
const out = path.join(root, '.sparta');
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };

async function allFunctions(lambda: LambdaClient): Promise<FunctionConfiguration[]> {
  const functions: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ Marker: marker }));
    functions.push(...(page.Functions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return functions;
}

test('provision deploys every function through nested stacks; describe lists them; delete removes them', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const common = ['--project', project, '--endpoint-url', context.moto.endpoint];
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--out', out, '--external-aws-sdk', '--no-typecheck', ...common], env);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, `stack ${SERVICE}: CREATE_COMPLETE`);

  const parent = JSON.parse(fs.readFileSync(path.join(out, SERVICE, 'template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
  const children = Object.keys(parent.Resources).filter((id) => parent.Resources[id].Type === 'AWS::CloudFormation::Stack');
  assert.ok(children.length > 1, `nested into ${children.length} stacks`);
  await expectMotoSkipped(aws.apis, SERVICE, JSON.stringify(parent), []);
  const physical = Object.fromEntries((await listStackResources(aws.apis.cloudFormation, SERVICE)).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
  for (const file of fs.readdirSync(path.join(out, SERVICE, 'nested'))) {
    const child = fs.readFileSync(path.join(out, SERVICE, 'nested', file), 'utf8');
    const id = children.find((logicalId) => JSON.stringify(parent.Resources[logicalId]).includes(file))!;
    await expectMotoSkipped(aws.apis, physical[id]!, child, []);
  }

  const lambda = new LambdaClient(motoClientConfig(context.moto));
  const deployed = (await allFunctions(lambda)).filter((fn) => fn.FunctionName?.startsWith(`${SERVICE}-`));
  assert.is(deployed.length, FUNCTIONS);
  // provision's function list comes from the stacks' resources, nested ones included.
  assert.is(run.stdout.split('\n').filter((line) => line.includes(`${SERVICE}-Worker`)).length, FUNCTIONS);

  // Nothing changed: the parent template names its children by content, so the no-op check covers them.
  const again = await runCli(['provision', '--s3-bucket', BUCKET, '--out', out, '--external-aws-sdk', '--no-typecheck', ...common], env);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, /no changes: wide-service is up to date/);
  assert.not.match(again.stderr, /^uploaded /m);

  // A child template gone from the bucket is no no-op: it is uploaded again before the change set.
  const key = `${SERVICE}/${fs.readdirSync(path.join(out, SERVICE, 'nested'))[0]}`;
  await aws.sdk.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
  const restored = await runCli(['provision', '--s3-bucket', BUCKET, '--out', out, '--external-aws-sdk', '--no-typecheck', ...common], env);
  assert.is(restored.code, 0, restored.stderr);
  assert.match(restored.stderr, `uploaded ${key}`);

  const describe = await runCli(['describe', ...common], env);
  assert.is(describe.code, 0, describe.stderr);
  assert.is(describe.stdout.split('\n').filter((line) => /AWS::Lambda::Function/.test(line)).length, FUNCTIONS);

  const removed = await runCli(['delete', '--yes', ...common], env);
  assert.is(removed.code, 0, removed.stderr);
  assert.is((await allFunctions(lambda)).filter((fn) => fn.FunctionName?.startsWith(`${SERVICE}-`)).length, 0);
  const stacks = await aws.sdk.cloudFormation.send(new ListStacksCommand({}));
  assert.equal(stacks.StackSummaries?.filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName), []);
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
