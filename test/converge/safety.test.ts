// What provision and delete refuse to do, through the real commands against
// moto with a stdin that is not a terminal (as in CI, or `</dev/null | cat`):
// remove resources unattended, update a stack that is not this project's,
// trust an object it did not verify, deploy from a bucket in another region,
// and purge archives a stack may still need.
import { CreateStackCommand, ListChangeSetsCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '../../cli/errors';
import { listStackResources } from '../../cli/converge/stack';
import { runCli } from '../helpers/cli';
import { writeServiceProject, type HandmadeService } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('provision and delete guards against moto');
withMoto(test);

const BUCKET = 'safety-artifacts';
const STACK = 'safe-svc';
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: undefined, AWS_PROFILE: undefined };

// Two classes, so one can be deleted (src/worker.ts) to remove a function.
const svc = (): HandmadeService => ({ name: STACK, functions: [{ id: 'Api.get', body: 'get v1' }, { id: 'Worker.run', body: 'run v1' }] });

function cli(context: MotoContext, tsconfig: string, ...args: string[]) {
  return runCli([...args, '--project', tsconfig, '--endpoint-url', context.moto.endpoint], env);
}

async function withBucket(context: MotoContext) {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  return aws;
}

async function stackResources(context: MotoContext, stackName = STACK): Promise<string[]> {
  const resources = await listStackResources(motoAws(context.moto).apis.cloudFormation, stackName);
  return resources.map((r) => `${r.ResourceType} ${r.LogicalResourceId}`).sort();
}

const functionsIn = (resources: string[]) => resources.filter((r) => r.startsWith('AWS::Lambda::Function ')).length;

async function keys(context: MotoContext, bucket = BUCKET): Promise<string[]> {
  const listed = await motoAws(context.moto).sdk.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
}

async function liveStacks(context: MotoContext): Promise<string[]> {
  const stacks = await motoAws(context.moto).sdk.cloudFormation.send(new ListStacksCommand({}));
  return (stacks.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName ?? '');
}

/** The archive `sparta build` made for a function: its S3 key and bytes. */
function builtArchive(tsconfig: string, functionId: string): { key: string; bytes: Buffer } {
  const out = path.join(path.dirname(tsconfig), '.sparta', STACK);
  const report = JSON.parse(fs.readFileSync(path.join(out, 'build.json'), 'utf8')) as { functions: { functionId: string; fileName: string; archive: string }[] };
  const artifact = report.functions.find((f) => f.functionId === functionId)!;
  const file = path.isAbsolute(artifact.archive) ? artifact.archive : path.join(out, artifact.archive);
  return { key: `${STACK}/${artifact.fileName}`, bytes: fs.readFileSync(file) };
}

async function objectBytes(context: MotoContext, key: string): Promise<Buffer> {
  const object = await motoAws(context.moto).sdk.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

async function deployedCodeSha(context: MotoContext, functionLogicalPrefix: string): Promise<string | undefined> {
  const resources = await listStackResources(motoAws(context.moto).apis.cloudFormation, STACK);
  const fn = resources.find((r) => r.ResourceType === 'AWS::Lambda::Function' && r.LogicalResourceId?.startsWith(functionLogicalPrefix));
  const lambda = new LambdaClient(motoClientConfig(context.moto));
  return (await lambda.send(new GetFunctionCommand({ FunctionName: fn?.PhysicalResourceId }))).Configuration?.CodeSha256;
}

const b64sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('base64');

test('off a terminal, a change set that removes a function is refused: its rows are printed, it is deleted, the stack keeps the function', async (context) => {
  const aws = await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  assert.is((await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET)).code, 0);
  const before = await stackResources(context);
  fs.rmSync(path.join(path.dirname(tsconfig), 'src', 'worker.ts'));

  const run = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  const output = run.stdout + run.stderr;
  assert.is(run.code, 1, output);
  assert.match(output, ErrorCode.CONFIRMATION_REQUIRED);
  assert.match(output, '--yes');
  const rows = output.split('\n').filter((line) => /^\s+Remove\s+AWS::Lambda::Function\s+WorkerRun/.test(line));
  assert.is(rows.length, 2, `the function's Remove row in the change set and again in the refusal:\n${output}`);
  assert.equal(await stackResources(context), before);
  const changeSets = await aws.sdk.cloudFormation.send(new ListChangeSetsCommand({ StackName: STACK }));
  // moto keeps executed change sets listed (the first provision's); an unexecuted one would be AVAILABLE.
  assert.equal((changeSets.Summaries ?? []).filter((c) => c.ExecutionStatus !== 'EXECUTE_COMPLETE'), [], 'the refused change set is deleted');
});

test('--yes applies a change set that removes a function, off a terminal', async (context) => {
  await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  assert.is((await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET)).code, 0);
  fs.rmSync(path.join(path.dirname(tsconfig), 'src', 'worker.ts'));
  const run = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET, '--yes');
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.is(functionsIn(await stackResources(context)), 1);
});

test('a same-named stack that sparta did not create is refused, naming both sides; it keeps its resources', async (context) => {
  const aws = await withBucket(context);
  const foreign = { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'not sparta' } } } };
  await aws.sdk.cloudFormation.send(new CreateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(foreign) }));
  const tsconfig = writeServiceProject(svc());

  const run = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET, '--yes');
  const output = run.stdout + run.stderr;
  assert.is(run.code, 1, output);
  assert.match(output, ErrorCode.STACK_OWNED_ELSEWHERE);
  assert.match(output, 'no sparta project');
  assert.match(output, `project ${path.basename(path.dirname(tsconfig))} (tsconfig.json)`);
  assert.match(output, '--force');
  assert.equal(await stackResources(context), ['AWS::SNS::Topic Topic']);
  assert.equal(await keys(context), [], 'refused before anything is uploaded');
});

test('--force takes over a stack sparta did not create', async (context) => {
  const aws = await withBucket(context);
  const foreign = { Resources: { Topic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'not sparta' } } } };
  await aws.sdk.cloudFormation.send(new CreateStackCommand({ StackName: STACK, TemplateBody: JSON.stringify(foreign) }));
  const run = await cli(context, writeServiceProject(svc()), 'provision', '--s3-bucket', BUCKET, '--force', '--yes');
  assert.is(run.code, 0, run.stdout + run.stderr);
  const resources = await stackResources(context);
  assert.not.ok(resources.includes('AWS::SNS::Topic Topic'));
  assert.is(functionsIn(resources), 2);
});

test('an object at a content key without a SHA-256 checksum is uploaded again; the function runs the local archive', async (context) => {
  const aws = await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  assert.is((await runCli(['build', '--project', tsconfig])).code, 0);
  const archive = builtArchive(tsconfig, 'Api.get');
  await aws.sdk.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: archive.key, Body: Buffer.from('0123456789') }));

  const run = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  const output = run.stdout + run.stderr;
  assert.is(run.code, 0, output);
  assert.ok((await objectBytes(context, archive.key)).equals(archive.bytes), 'the bucket holds the local archive');
  assert.is(await deployedCodeSha(context, 'ApiGet'), b64sha(archive.bytes));
  assert.match(output, `replaced s3://${BUCKET}/${archive.key} (its content did not match)`);
});

test('an object at a content key whose SHA-256 checksum differs is uploaded again', async (context) => {
  const aws = await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  assert.is((await runCli(['build', '--project', tsconfig])).code, 0);
  const archive = builtArchive(tsconfig, 'Worker.run');
  await aws.sdk.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: archive.key, Body: Buffer.from('0123456789'), ChecksumAlgorithm: 'SHA256' }));

  const run = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.ok((await objectBytes(context, archive.key)).equals(archive.bytes), 'the bucket holds the local archive');
  assert.is(await deployedCodeSha(context, 'WorkerRun'), b64sha(archive.bytes));
  assert.match(run.stdout + run.stderr, `replaced s3://${BUCKET}/${archive.key}`);
});

test('a no-op provision whose archive was deleted from the bucket is not "no changes": the archive is uploaded again', async (context) => {
  const aws = await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  assert.is((await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET)).code, 0);
  const archive = builtArchive(tsconfig, 'Api.get');
  await aws.sdk.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: archive.key }));

  const run = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  const output = run.stdout + run.stderr;
  assert.is(run.code, 0, output);
  assert.ok((await objectBytes(context, archive.key)).equals(archive.bytes), 'the archive is back');
  assert.match(output, `uploaded ${archive.key}`);
});

test('a bucket in another region than the stack is an error naming both regions; nothing is uploaded or created', async (context) => {
  const euS3 = new S3Client({ ...motoClientConfig(context.moto), region: 'eu-west-1' });
  await euS3.send(new CreateBucketCommand({ Bucket: 'eu-artifacts', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  const run = await cli(context, writeServiceProject(svc()), 'provision', '--s3-bucket', 'eu-artifacts');
  const output = run.stdout + run.stderr;
  assert.is(run.code, 1, output);
  assert.match(output, ErrorCode.BUCKET_WRONG_REGION);
  assert.match(output, /eu-artifacts" is in eu-west-1, but the stack deploys to us-east-1/);
  assert.match(output, 'hint: pass --region eu-west-1');
  assert.equal(await liveStacks(context), []);
  assert.equal(await keys(context, 'eu-artifacts'), []);
});

test('delete --purge-artifacts in a region without the stack purges nothing and says so; the live stack keeps its archives', async (context) => {
  await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  assert.is((await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET)).code, 0);
  const before = await keys(context);
  const run = await cli(context, tsconfig, 'delete', '--yes', '--purge-artifacts', '--s3-bucket', BUCKET, '--region', 'eu-west-1');
  const output = run.stdout + run.stderr;
  assert.is(run.code, 0, output);
  assert.ok(before.length >= 3, 'two archives and a template');
  assert.equal(await keys(context), before);
  assert.match(output, `purged nothing under s3://${BUCKET}/${STACK}/`);
  assert.equal(await liveStacks(context), [STACK]);
});

test('delete --purge-artifacts --force purges even when there is no stack to delete', async (context) => {
  const aws = await withBucket(context);
  await aws.sdk.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${STACK}/Api.get-0123456789abcdef.zip`, Body: 'x' }));
  await aws.sdk.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'other-svc/keep.zip', Body: 'x' }));
  const run = await cli(context, writeServiceProject(svc()), 'delete', '--yes', '--purge-artifacts', '--s3-bucket', BUCKET, '--force');
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.equal(await keys(context), ['other-svc/keep.zip']);
});

test.run();
