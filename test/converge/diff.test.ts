// `sparta diff` in-process against moto: what it prints and its exit code
// before a stack exists, after a provision, after a code change and after a
// removed function, and that it uploads nothing and creates no change set.
import { CreateStackCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { writeServiceProject, type HandmadeService } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, withMoto, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('sparta diff against moto');
withMoto(test);

const BUCKET = 'diff-artifacts';
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: undefined, AWS_PROFILE: undefined };
const svc = (getBody = 'get v1', withPut = true): HandmadeService => ({
  name: 'diff-svc',
  // Two classes: a function's archive holds its whole class, so a change to one method would change both archives.
  functions: [{ id: 'Reader.get', body: getBody }, ...(withPut ? [{ id: 'Writer.put', body: 'put' }] : [])],
});

function cli(context: MotoContext, tsconfig: string, ...args: string[]) {
  return runCli([...args, '--project', tsconfig, '--endpoint-url', context.moto.endpoint], env);
}

async function provisioned(context: MotoContext): Promise<string> {
  await motoAws(context.moto).sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const tsconfig = writeServiceProject(svc());
  const run = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  assert.is(run.code, 0, run.stderr);
  return tsconfig;
}

async function objectCount(context: MotoContext): Promise<number> {
  return ((await motoAws(context.moto).sdk.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).length;
}

test('before any provision, everything is an addition and the exit code is 1', async (context) => {
  const run = await cli(context, writeServiceProject(svc()), 'diff');
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stdout, 'Stack diff-svc is not deployed: everything below would be created.');
  assert.match(run.stdout, /\[\+\] AWS::Lambda::Function ReaderGet[0-9a-f]{8}\n/);
  assert.match(run.stdout, /\[\+\] AWS::Lambda::Function WriterPut[0-9a-f]{8}\n/);
});

test('right after a provision nothing differs and the exit code is 0', async (context) => {
  const tsconfig = await provisioned(context);
  const run = await cli(context, tsconfig, 'diff');
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout, 'Stack diff-svc: no differences.\n');
});

test('a code change is the S3Key of that function only, with nothing uploaded and no change set', async (context) => {
  await provisioned(context);
  const uploaded = await objectCount(context);
  const changed = writeServiceProject(svc('get v2'));
  const run = await cli(context, changed, 'diff');
  assert.is(run.code, 1, run.stderr);
  const modified = run.stdout.split('\n').filter((line) => line.startsWith('  [~]'));
  assert.equal(modified.map((line) => line.replace(/[0-9a-f]{8}$/, '<h>')), ['  [~] AWS::Lambda::Function ReaderGet<h>']);
  assert.match(run.stdout, /Properties\.Code\.S3Key: diff-svc\/Reader\.get-[0-9a-f]{16}\.zip -> diff-svc\/Reader\.get-[0-9a-f]{16}\.zip\n/);
  assert.match(run.stdout, 'Security: what widens (0)');
  assert.is(await objectCount(context), uploaded);
  const changeSets = await motoAws(context.moto).sdk.cloudFormation.send(new ListChangeSetsCommand({ StackName: 'diff-svc' }));
  assert.is((changeSets.Summaries ?? []).filter((summary) => summary.ExecutionStatus !== 'EXECUTE_COMPLETE').length, 0);
});

test('a removed function shows its function, role, policy and log group as removals', async (context) => {
  await provisioned(context);
  const run = await cli(context, writeServiceProject(svc('get v1', false)), 'diff', '--format', 'json');
  assert.is(run.code, 1, run.stderr);
  const diff = JSON.parse(run.stdout);
  const removed = diff.resources.filter((change: { change: string }) => change.change === 'remove').map((change: { type: string }) => change.type).sort();
  assert.equal(removed, ['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::Lambda::Function', 'AWS::Logs::LogGroup']);
});

test('a stack deployed from YAML (not by sparta) is SPARTA418, on stderr', async (context) => {
  const yaml = 'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n';
  await motoAws(context.moto).sdk.cloudFormation.send(new CreateStackCommand({ StackName: 'diff-svc', TemplateBody: yaml }));
  const run = await cli(context, writeServiceProject(svc()), 'diff');
  assert.is(run.code, 1);
  assert.match(run.stderr, 'SPARTA418: the deployed template of stack diff-svc is not a JSON template sparta can compare');
  assert.is(run.stdout, '');
});

test.run();
