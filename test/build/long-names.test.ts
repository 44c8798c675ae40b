import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import type { BuildReport } from '../../manifest/types';
import { runCli } from '../helpers/cli';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { smallProject } from './fixture';

// A class and method name of 262 characters in all: archive file names are
// bounded like function names (the first characters, `-` and a hash of the
// whole id), so the build does not fail with ENAMETOOLONG, and the function
// deploys under its id.

const CLASS = `Long${'C'.repeat(127)}`;
const METHOD = `run${'m'.repeat(128)}`;
const ID = `${CLASS}.${METHOD}`;
const SERVICE = 'long';
const BUCKET = 'long-artifacts';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

const test = suite<MotoContext>('a 262-character class and method name');
withMoto(test);

const tsconfig = smallProject({
  'src/long.ts': `import { Service, Lambda } from 'sparta';

@Service({ name: '${SERVICE}' })
export class ${CLASS} {
  @Lambda()
  ${METHOD}(event: unknown) {
    return { ok: true };
  }
}
`,
});
const out = path.join(path.dirname(tsconfig), '.sparta', SERVICE);
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };

test('builds: the archive name is the id cut to 91 characters, its hash and the content hash', async () => {
  assert.is(CLASS.length + METHOD.length, 262);
  const run = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(run.code, 0, run.stdout + run.stderr);
  const report = JSON.parse(fs.readFileSync(path.join(out, 'build.json'), 'utf8')) as BuildReport;
  const [artifact] = report.functions;
  assert.is(artifact.functionId, ID);
  const zip = fs.readFileSync(path.join(out, artifact.archive));
  // 100 characters: 91 of the id, `-`, 8 hex of the id's SHA-256; then the archive's content hash.
  assert.is(artifact.fileName, `${ID.slice(0, 91)}-${sha256(ID).slice(0, 8)}-${sha256(zip).slice(0, 16)}.zip`);
  assert.is(artifact.fileName.length, 121);
});

test('provisions: the function is deployed from that archive under its logical ID', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--project', tsconfig, '--endpoint-url', context.moto.endpoint, '--external-aws-sdk'], env);
  assert.is(run.code, 0, run.stdout + run.stderr);
  const report = JSON.parse(fs.readFileSync(path.join(out, 'build.json'), 'utf8')) as BuildReport;
  const [artifact] = report.functions;
  await aws.sdk.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `${SERVICE}/${artifact.fileName}` }));

  // The logical ID as the README states it: class and method, cut to 64, and 8 hex of `<service>/<id>`.
  const logicalId = `${`${CLASS}${METHOD.charAt(0).toUpperCase()}${METHOD.slice(1)}`.slice(0, 64)}${sha256(`${SERVICE}/${ID}`).slice(0, 8)}`;
  const resources = await listStackResources(aws.apis.cloudFormation, SERVICE);
  const fn = resources.find((r) => r.LogicalResourceId === logicalId);
  assert.ok(fn, `a function ${logicalId} in ${resources.map((r) => r.LogicalResourceId).join(', ')}`);
  const lambda = new LambdaClient(motoClientConfig(context.moto));
  const deployed = await lambda.send(new GetFunctionCommand({ FunctionName: fn!.PhysicalResourceId }));
  const zip = fs.readFileSync(path.join(out, artifact.archive));
  assert.is(deployed.Configuration?.CodeSha256, createHash('sha256').update(zip).digest('base64'));
  // Lambda's 64-character rule: the first 55 characters of `<service>-<Class>-<method>`, `-` and 8 hex of it.
  const full = `${SERVICE}-${CLASS}-${METHOD}`;
  assert.is(deployed.Configuration?.FunctionName, `${full.slice(0, 55)}-${sha256(full).slice(0, 8)}`);
});

test.run();
