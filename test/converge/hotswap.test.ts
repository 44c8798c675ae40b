// `provision --hotswap` against moto: a code-only change goes into the
// function without a change set; anything else falls back to one.
import { ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { serviceSources, writeServiceProject, type HandmadeService } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('provision --hotswap against moto');
withMoto(test);

const BUCKET = 'hotswap-artifacts';
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: undefined, AWS_PROFILE: undefined };
const svc = (body: string): HandmadeService => ({ name: 'hot-svc', functions: [{ id: 'Job.run', body }] });

function provision(context: MotoContext, tsconfig: string, ...flags: string[]) {
  return runCli(['provision', '--s3-bucket', BUCKET, ...flags, '--project', tsconfig, '--endpoint-url', context.moto.endpoint], env);
}

/** Change sets CloudFormation ran on the stack (moto keeps executed ones listed). */
async function executedChangeSets(context: MotoContext): Promise<number> {
  const listed = await motoAws(context.moto).sdk.cloudFormation.send(new ListChangeSetsCommand({ StackName: 'hot-svc' }));
  return (listed.Summaries ?? []).filter((summary) => summary.ExecutionStatus === 'EXECUTE_COMPLETE').length;
}

/** The same project (its identity is its folder) with other sources. */
function rewrite(tsconfig: string, service: HandmadeService): string {
  for (const [file, text] of Object.entries(serviceSources(service))) fs.writeFileSync(path.join(path.dirname(tsconfig), file), text);
  return tsconfig;
}

function builtSha256(tsconfig: string): string {
  const serviceDir = path.join(path.dirname(tsconfig), '.sparta', 'hot-svc');
  const report = JSON.parse(fs.readFileSync(path.join(serviceDir, 'build.json'), 'utf8'));
  const archive = path.resolve(serviceDir, report.functions[0].archive);
  return createHash('sha256').update(fs.readFileSync(archive)).digest('base64');
}

test('a code-only change is put into the function without a change set, and the drift is said', async (context) => {
  await motoAws(context.moto).sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const tsconfig = writeServiceProject(svc('v1'));
  const first = await provision(context, tsconfig);
  assert.is(first.code, 0, first.stderr);
  assert.is(await executedChangeSets(context), 1);
  const changed = rewrite(tsconfig, svc('v2'));
  const run = await provision(context, changed, '--hotswap');
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, 'hotswapped hot-svc-Job-run: code');
  assert.match(run.stderr, 'stack hot-svc has drifted from its template');
  assert.is(await executedChangeSets(context), 1);
  const deployed = await new LambdaClient(motoClientConfig(context.moto)).send(new GetFunctionCommand({ FunctionName: 'hot-svc-Job-run' }));
  assert.is(deployed.Configuration?.CodeSha256, builtSha256(changed));
});

test('a change beyond code falls back to a change set and says why', async (context) => {
  await motoAws(context.moto).sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const tsconfig = writeServiceProject(svc('v1'));
  assert.is((await provision(context, tsconfig)).code, 0);
  // The same function, now on a schedule: a new rule and permission.
  const source = path.join(path.dirname(tsconfig), 'src', 'job.ts');
  fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace("import { Lambda, Service } from 'sparta';", "import { CloudWatchEvent, Lambda, Service } from 'sparta';").replace('  @Lambda()', "  @Lambda()\n  @CloudWatchEvent({ schedule: 'rate(5 minutes)' })"));
  const run = await provision(context, tsconfig, '--hotswap');
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, /--hotswap: not possible \(AWS::Events::Rule JobRun[0-9a-f]{8}Rule[0-9a-f]{8} is added\); provisioning hot-svc with a change set/);
  assert.not.match(run.stderr, 'hotswapped');
  assert.is(await executedChangeSets(context), 2);
});

test.run();
