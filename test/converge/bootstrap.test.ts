// `sparta bootstrap` and the default bucket against moto: the settings read
// back through S3, a second run that writes nothing, and provision without
// --s3-bucket.
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
} from '@aws-sdk/client-s3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bootstrapBucket } from '../../cli/converge/bootstrap';
import { runCli } from '../helpers/cli';
import { writeServiceProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, withMoto, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('sparta bootstrap against moto');
withMoto(test);

// moto's STS answers with its fixed account.
const BUCKET = 'sparta-artifacts-123456789012-us-east-1';
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: undefined, AWS_PROFILE: undefined };

const project = () => writeServiceProject({ name: 'boot-svc', functions: [{ id: 'A.run', body: 'a' }] });

function bootstrap(context: MotoContext) {
  return runCli(['bootstrap', '--endpoint-url', context.moto.endpoint], env);
}

test('creates the account-and-region bucket with every setting, as S3 reads them back', async (context) => {
  const run = await bootstrap(context);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, `bucket ${BUCKET} (us-east-1)`);
  const s3 = motoAws(context.moto).sdk.s3;
  const encryption = await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }));
  assert.is(encryption.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
  assert.equal((await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration, {
    BlockPublicAcls: true,
    IgnorePublicAcls: true,
    BlockPublicPolicy: true,
    RestrictPublicBuckets: true,
  });
  assert.is((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status, 'Enabled');
  const [rule] = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))).Rules ?? [];
  assert.equal([rule.Status, rule.NoncurrentVersionExpiration?.NoncurrentDays], ['Enabled', 30]);
  const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy ?? '{}');
  assert.equal(policy.Statement.map((s: { Effect: string; Condition: unknown }) => [s.Effect, s.Condition]), [['Deny', { Bool: { 'aws:SecureTransport': 'false' } }]]);
  for (const setting of ['bucket', 'encryption', 'public access block', 'versioning', 'lifecycle', 'policy']) assert.match(run.stdout, new RegExp(`  ${setting}.* created\\n`));
});

test('a second run reads every setting and writes nothing', async (context) => {
  await bootstrap(context);
  const aws = motoAws(context.moto);
  const result = await bootstrapBucket(aws.apis, 'us-east-1', BUCKET);
  assert.ok(result.settings.every((setting) => setting.state === 'unchanged'), JSON.stringify(result.settings));
  assert.equal(aws.counter.calls.filter((call) => /^(Put|Create)/.test(call)), []);
});

test("a loosened setting is put right, and the bucket's own lifecycle rules stay", async (context) => {
  await bootstrap(context);
  const s3 = motoAws(context.moto).sdk.s3;
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Suspended' } }));
  const current = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))).Rules ?? [];
  const mine = { ID: 'mine', Status: 'Enabled' as const, Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } };
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: [...current, mine] } }));
  const result = await bootstrapBucket(motoAws(context.moto).apis, 'us-east-1', BUCKET);
  assert.equal(result.settings.find((setting) => setting.name === 'versioning')?.state, 'updated');
  assert.is((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status, 'Enabled');
  const ids = ((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))).Rules ?? []).map((rule) => rule.ID).sort();
  assert.equal(ids, ['mine', 'sparta-expire-noncurrent']);
});

test('provision without --s3-bucket and no default bucket is SPARTA420, which says to bootstrap', async (context) => {
  const run = await runCli(['provision', '--project', project(), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 1);
  assert.match(run.stderr, `SPARTA420: no --s3-bucket was given and the default bucket ${BUCKET} does not exist in us-east-1`);
  assert.match(run.stderr, 'hint: run sparta bootstrap --region us-east-1 once');
});

test('provision without --s3-bucket deploys through the default bucket when it exists', async (context) => {
  // Made here without bootstrap's TLS-only policy: moto serves plain HTTP, which that policy (rightly) refuses.
  await motoAws(context.moto).sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const run = await runCli(['provision', '--project', project(), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, `using the default bucket ${BUCKET}`);
  const keys = ((await motoAws(context.moto).sdk.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key ?? '');
  assert.ok(keys.some((key) => key.startsWith('boot-svc/A.run-')), keys.join(', '));
});

test('provision --bootstrap creates the default bucket, settings and all, before it builds', async (context) => {
  const run = await runCli(['provision', '--bootstrap', '--project', project(), '--endpoint-url', context.moto.endpoint], env);
  const s3 = motoAws(context.moto).sdk.s3;
  assert.is((await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }))).Status, 'Enabled');
  assert.ok(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy ?? '{}').Statement.length === 1);
  // Over moto's plain HTTP the TLS-only policy refuses the upload, as S3 would: the bucket is the one bootstrap made.
  assert.is(run.code, 1);
  assert.match(run.stderr, `uploading s3://${BUCKET}/boot-svc/A.run-`);
});

test.run();
