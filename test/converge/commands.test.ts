// The provision, describe and delete commands in-process against moto: exit
// codes, what they print, and what they leave behind.
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '../../cli/errors';
import { runCli } from '../helpers/cli';
import { generatedService, writeServiceProject, type HandmadeService } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, withMoto, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('provision, describe and delete commands against moto');
withMoto(test);

const BUCKET = 'cli-artifacts';
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: undefined, AWS_PROFILE: undefined };

const svc = (version = 'v1'): HandmadeService => ({ name: 'cli-svc', functions: [{ id: 'Api.get', body: `get ${version}` }, { id: 'Api.put', body: 'put' }] });

async function withBucket(context: MotoContext) {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  return aws;
}

function cli(context: MotoContext, tsconfig: string, ...args: string[]) {
  return runCli([...args, '--project', tsconfig, '--endpoint-url', context.moto.endpoint], env);
}

/**
 * A user error prints on stderr as `Sparta Error: SPARTAnnn: ...` and one hint line, never a stack trace
 * (build progress may come before it), and stdout stays empty: it carries only a command's result.
 */
function assertUserError(run: { stdout: string; stderr: string }, code: string) {
  const lines = run.stderr.trimEnd().split('\n');
  const at = lines.findIndex((line) => line.startsWith('Sparta Error: '));
  assert.ok(at >= 0, `no Sparta Error in:\n${run.stderr}`);
  assert.match(lines[at], `Sparta Error: ${code}: `);
  assert.ok(lines.length - at === 2 && lines[at + 1].startsWith('  hint: '), `an error line and a hint line:\n${run.stderr}`);
  assert.ok(lines.slice(0, at).every((line) => line.startsWith('built ')), `only build progress before the error:\n${run.stderr}`);
  assert.not.match(run.stderr, /\n\s+at /);
  assert.is(run.stdout, '');
}

async function liveStacks(context: MotoContext): Promise<string[]> {
  const stacks = await motoAws(context.moto).sdk.cloudFormation.send(new ListStacksCommand({}));
  return (stacks.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName ?? '');
}

async function keys(context: MotoContext): Promise<string[]> {
  const listed = await motoAws(context.moto).sdk.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return (listed.Contents ?? []).map((o) => o.Key ?? '').sort();
}

test('provision prints the changes and events on stderr and the settled stack on stdout; a second run says no changes', async (context) => {
  await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  const first = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  assert.is(first.code, 0, first.stderr);
  assert.is(first.stderr.match(/^\s+Add\s+AWS::Lambda::Function\s+\S+$/gm)?.length, 2);
  assert.match(first.stderr, /cli-svc\s+AWS::CloudFormation::Stack\s+CREATE_COMPLETE/);
  assert.match(first.stdout, /^stack cli-svc: CREATE_COMPLETE\n/);
  assert.match(first.stdout, /functions:\n\s+\S+\s+\S*cli-svc\S*\n\s+\S+\s+\S*cli-svc\S*\n/);
  const again = await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, 'no changes');
  assert.not.match(again.stderr, /^uploaded /m);
  assert.not.match(again.stderr, /change set sparta-/);
});

test('provision honours AWS_ENDPOINT_URL when no --endpoint-url is given', async (context) => {
  await withBucket(context);
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--project', writeServiceProject(svc())], { ...env, AWS_ENDPOINT_URL: context.moto.endpoint });
  assert.is(run.code, 0, run.stderr);
  assert.equal(await liveStacks(context), ['cli-svc']);
});

test('provision --noop previews, uploads nothing and changes nothing', async (context) => {
  await withBucket(context);
  const run = await cli(context, writeServiceProject(svc()), 'provision', '--s3-bucket', BUCKET, '--noop');
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, '--noop: nothing uploaded (2 archives and the template stay local; the template goes to CloudFormation inline)');
  assert.match(run.stderr, /change set .* \(CREATE\)/);
  assert.equal(await liveStacks(context), []);
  assert.equal(await keys(context), []);
});

test('provision --noop of a template over the 51,200-byte inline limit uploads the template alone', async (context) => {
  await withBucket(context);
  const run = await cli(context, writeServiceProject(generatedService('big-svc', 40)), 'provision', '--s3-bucket', BUCKET, '--noop');
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, "--noop: no archive uploaded; the template is over CloudFormation's 51,200-byte inline limit");
  const uploaded = await keys(context);
  assert.is(uploaded.length, 1, uploaded.join(', '));
  assert.match(uploaded[0], /^big-svc\/template-[0-9a-f]+\.json$/);
});

test('describe prints status, outputs and a resource table; --format json is parseable', async (context) => {
  await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  const text = await cli(context, tsconfig, 'describe');
  assert.is(text.code, 0, text.stdout);
  assert.match(text.stdout, /status:\s+CREATE_COMPLETE/);
  assert.is(text.stdout.match(/^\s+\S+\s+AWS::Lambda::Function\s+\S+\s+CREATE_COMPLETE$/gm)?.length, 2);
  const json = await cli(context, tsconfig, 'describe', '--format', 'json');
  const description = JSON.parse(json.stdout);
  assert.is(description.stackName, 'cli-svc');
  assert.is(description.status, 'CREATE_COMPLETE');
  assert.is(description.resources.filter((r: { type: string }) => r.type === 'AWS::Lambda::Function').length, 2);
});

test('describe of a stack that does not exist is STACK_NOT_FOUND', async (context) => {
  const run = await cli(context, writeServiceProject(svc()), 'describe');
  assert.is(run.code, 1);
  assertUserError(run, ErrorCode.STACK_NOT_FOUND);
});

test('delete removes the stack; the bucket and its objects stay', async (context) => {
  await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  const before = await keys(context);
  const run = await cli(context, tsconfig, 'delete', '--yes');
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, 'DELETE_COMPLETE');
  assert.is(run.stdout, 'deleted stack cli-svc\n');
  assert.equal(await liveStacks(context), []);
  assert.equal(await keys(context), before);
  assert.ok(before.length >= 3, 'two archives and a template');
});

test('delete --purge-artifacts removes only the keys under the service prefix', async (context) => {
  const aws = await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  await aws.sdk.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'other-svc/keep.zip', Body: 'x' }));
  await aws.sdk.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'cli-svc-two/keep.zip', Body: 'x' }));
  const run = await cli(context, tsconfig, 'delete', '--yes', '--purge-artifacts');
  assert.is(run.code, 0, run.stderr);
  assert.equal(await keys(context), ['cli-svc-two/keep.zip', 'other-svc/keep.zip']);
});

test('delete without --yes off a terminal refuses and deletes nothing', async (context) => {
  await withBucket(context);
  const tsconfig = writeServiceProject(svc());
  await cli(context, tsconfig, 'provision', '--s3-bucket', BUCKET);
  const run = await cli(context, tsconfig, 'delete');
  assert.is(run.code, 1);
  assertUserError(run, ErrorCode.CONFIRMATION_REQUIRED);
  assert.equal(await liveStacks(context), ['cli-svc']);
});

test('bad input: a missing bucket is a one-line error and nothing is created', async (context) => {
  const run = await cli(context, writeServiceProject(svc()), 'provision', '--s3-bucket', 'no-such-bucket');
  assert.is(run.code, 1);
  assertUserError(run, ErrorCode.BUCKET_NOT_FOUND);
  assert.equal(await liveStacks(context), []);
});

test('bad input: an unreachable endpoint is a one-line error', async () => {
  // Port 1 (tcpmux) is privileged and unused here; a port freed a moment ago could be taken by a moto server of a test
  // file running in parallel.
  const port = 1;
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--project', writeServiceProject(svc()), '--endpoint-url', `http://127.0.0.1:${port}`], env);
  assert.is(run.code, 1);
  assertUserError(run, ErrorCode.ENDPOINT_UNREACHABLE);
  assert.match(run.stderr, `127.0.0.1:${port}`);
});

test('bad input: a missing role is a one-line error naming it; nothing is uploaded or created', async (context) => {
  await withBucket(context);
  const role = 'arn:aws:iam::123456789012:role/ghost';
  const withRole = svc();
  withRole.functions[1].role = role;
  const run = await cli(context, writeServiceProject(withRole), 'provision', '--s3-bucket', BUCKET);
  assert.is(run.code, 1);
  assertUserError(run, ErrorCode.ROLE_NOT_FOUND);
  assert.match(run.stderr, role);
  assert.equal(await keys(context), []);
  assert.equal(await liveStacks(context), []);
});

test('bad input: --timeout that is not a duration is a usage error', async (context) => {
  const run = await cli(context, writeServiceProject(svc()), 'provision', '--s3-bucket', BUCKET, '--timeout', 'soon');
  assert.is(run.code, 1);
  assert.match(run.stderr, 'Usage Error');
  assert.is(run.stdout, '');
});

test.run();
