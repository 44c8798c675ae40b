// Two stages of one service side by side in one moto: `provision --stage dev`
// and `--stage prod` give two stacks with disjoint names, each function told
// its stage and given its stage's memory; deleting one leaves the other.
import { EventBridgeClient, DescribeRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { runCli } from '../helpers/cli';
import { writeSourceProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';

const test = suite<MotoContext>('two stages of one service in one moto');
withMoto(test);

const BUCKET = 'stages-artifacts';
const SERVICE = 'greeter';
const root = writeSourceProject(`import { CloudWatchEvent, Lambda, Service } from 'sparta';

@Service({ name: '${SERVICE}', stages: { prod: { tags: { tier: 'critical' } } } })
export class Greeter {
  @Lambda({ memorySize: 256, stages: { prod: { memorySize: 1024 } } })
  @CloudWatchEvent({ schedule: 'rate(5 minutes)', name: 'Nightly' })
  async greet(): Promise<string> {
    return 'hello';
  }
}
`);
const project = path.join(root, 'tsconfig.json');
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1', SPARTA_STAGE: undefined };
const outOf = (stage: string) => path.join(root, `.sparta-${stage}`);
const provision = (context: MotoContext, stage: string) =>
  runCli(['provision', '--s3-bucket', BUCKET, '--project', project, '--out', outOf(stage), '--stage', stage, '--no-typecheck', '--endpoint-url', context.moto.endpoint], env);

async function functionsOf(context: MotoContext, stack: string) {
  const resources = await listStackResources(motoAws(context.moto).apis.cloudFormation, stack);
  return resources.filter((r) => r.ResourceType === 'AWS::Lambda::Function').map((r) => r.PhysicalResourceId!);
}

async function ruleNamesOf(context: MotoContext, stack: string) {
  const resources = await listStackResources(motoAws(context.moto).apis.cloudFormation, stack);
  return resources.filter((r) => r.ResourceType === 'AWS::Events::Rule').map((r) => r.PhysicalResourceId!);
}

test('dev and prod: two stacks, disjoint names, each function with its stage and its stage\'s memory; deleting dev leaves prod', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const stage of ['dev', 'prod']) {
    const run = await provision(context, stage);
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, `stack ${SERVICE}-${stage}: CREATE_COMPLETE`);
    await expectMotoSkipped(aws.apis, `${SERVICE}-${stage}`, fs.readFileSync(path.join(outOf(stage), `${SERVICE}-${stage}`, 'template.json'), 'utf8'), []);
  }

  const dev = await functionsOf(context, `${SERVICE}-dev`);
  const prod = await functionsOf(context, `${SERVICE}-prod`);
  assert.equal(dev, [`${SERVICE}-dev-Greeter-greet`]);
  assert.equal(prod, [`${SERVICE}-prod-Greeter-greet`]);
  assert.equal(await ruleNamesOf(context, `${SERVICE}-dev`), [`${SERVICE}-dev-Nightly`]);
  assert.equal(await ruleNamesOf(context, `${SERVICE}-prod`), [`${SERVICE}-prod-Nightly`]);

  const lambda = new LambdaClient(motoClientConfig(context.moto));
  const devConfig = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: dev[0] }));
  const prodConfig = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: prod[0] }));
  assert.equal([devConfig.MemorySize, devConfig.Environment?.Variables?.SPARTA_STAGE], [256, 'dev']);
  assert.equal([prodConfig.MemorySize, prodConfig.Environment?.Variables?.SPARTA_STAGE], [1024, 'prod']);
  assert.is(JSON.parse(prodConfig.Environment?.Variables?.SPARTA_DISCOVERY ?? '{}').stage, 'prod');

  const { Stacks = [] } = await aws.sdk.cloudFormation.send(new DescribeStacksCommand({ StackName: `${SERVICE}-prod` }));
  assert.equal(Stacks[0].Tags?.find((tag) => tag.Key === 'tier')?.Value, 'critical');
  assert.equal(Stacks[0].Parameters?.find((p) => p.ParameterKey === 'Stage')?.ParameterValue, 'prod');

  const removed = await runCli(['delete', '--yes', '--project', project, '--stage', 'dev', '--endpoint-url', context.moto.endpoint], env);
  assert.is(removed.code, 0, removed.stdout + removed.stderr);
  assert.match(removed.stdout, `deleted stack ${SERVICE}-dev`);
  const described = await runCli(['describe', '--project', project, '--stage', 'prod', '--format', 'json', '--endpoint-url', context.moto.endpoint], env);
  assert.is(described.code, 0, described.stderr);
  assert.is(JSON.parse(described.stdout).status, 'CREATE_COMPLETE');
  assert.equal(await functionsOf(context, `${SERVICE}-prod`), prod);
  await new EventBridgeClient(motoClientConfig(context.moto)).send(new DescribeRuleCommand({ Name: `${SERVICE}-prod-Nightly` }));
  const gone = await runCli(['describe', '--project', project, '--stage', 'dev', '--endpoint-url', context.moto.endpoint], env);
  assert.is(gone.code, 1);
  assert.match(gone.stderr, 'SPARTA406');
});

test.run();
