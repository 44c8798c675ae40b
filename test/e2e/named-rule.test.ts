// Issue 14: `@CloudWatchEvent({ schedule, name })` and a new schedule. The
// named rule's logical ID is its name, so the update modifies the one rule
// in place instead of creating a second rule of the same name (which real
// CloudFormation refuses, and after which moto kept two permissions). And a
// pattern rule on a custom bus named by a literal (moto answers HTTP 500 to
// a Ref, test/sources/events-rule.test.ts checks that template), deployed.
import { CreateEventBusCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { functionName } from '../../cli/template/ids';
import { runCli } from '../helpers/cli';
import { writeServiceProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('a named rule on moto: a new schedule updates it in place');
withMoto(test);

const BUCKET = 'named-rule-artifacts';
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };

/** A project of one class `Sweeper` in src/sweeper.ts, whose body is `members`. */
function project(service: string, members: string): { tsconfig: string; write(members: string): void } {
  const tsconfig = writeServiceProject({ name: service, functions: [{ id: 'Sweeper.sweep', body: 'placeholder' }] });
  const write = (text: string) =>
    writeFileSync(
      path.join(path.dirname(tsconfig), 'src', 'sweeper.ts'),
      `import { CloudWatchEvent, Lambda, Service } from 'sparta';\n\n@Service({ name: '${service}' })\nexport class Sweeper {\n${text}\n}\n`,
    );
  write(members);
  return { tsconfig, write };
}

const provision = (context: MotoContext, tsconfig: string) =>
  runCli(['provision', '--s3-bucket', BUCKET, '--project', tsconfig, '--endpoint-url', context.moto.endpoint], env);

const sweep = (schedule: string) => `  @Lambda()
  @CloudWatchEvent({ schedule: '${schedule}', name: 'NightlySweep' })
  sweep() {
    return 'swept';
  }`;

test('provision, a new schedule, provision again: one rule <service>-NightlySweep with the new schedule, one permission', async (context) => {
  await motoAws(context.moto).sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const sweeper = project('sweeper', sweep('cron(0 3 * * ? *)'));
  const first = await provision(context, sweeper.tsconfig);
  assert.is(first.code, 0, first.stdout + first.stderr);

  sweeper.write(sweep('cron(30 4 * * ? *)'));
  // No --yes, and not on a terminal: a change set that replaced or removed
  // anything would be refused (SPARTA111). Only a Modify goes through.
  const second = await provision(context, sweeper.tsconfig);
  assert.is(second.code, 0, second.stdout + second.stderr);
  assert.match(second.stderr, /Modify\s+AWS::Events::Rule/);
  assert.not.match(second.stderr, /Add\s+AWS::Events::Rule|Remove\s+AWS::Events::Rule/);

  const events = new EventBridgeClient(motoClientConfig(context.moto));
  const { Rules = [] } = await events.send(new ListRulesCommand({}));
  assert.equal(Rules.map((rule) => [rule.Name, rule.ScheduleExpression]), [['sweeper-NightlySweep', 'cron(30 4 * * ? *)']]);

  const lambda = new LambdaClient(motoClientConfig(context.moto));
  const fn = functionName('sweeper', 'Sweeper', 'sweep');
  const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: fn }))).Policy ?? '{}') as { Statement: { Principal: { Service: string }; Condition: unknown }[] };
  assert.is(policy.Statement.length, 1, JSON.stringify(policy.Statement));
  assert.is(policy.Statement[0].Principal.Service, 'events.amazonaws.com');
  assert.match(JSON.stringify(policy.Statement[0].Condition), Rules[0].Arn!);
});

test('a pattern rule on a bus named by a literal listens on that bus and targets the function', async (context) => {
  await motoAws(context.moto).sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const events = new EventBridgeClient(motoClientConfig(context.moto));
  // The bus lives outside the stack, as a literal name says.
  await events.send(new CreateEventBusCommand({ Name: 'shop-orders' }));
  const shop = project('shop', `  @Lambda()
  @CloudWatchEvent({ pattern: { source: ['shop.orders'] }, eventBus: 'shop-orders' })
  sweep() {
    return 'placed';
  }`);
  const run = await provision(context, shop.tsconfig);
  assert.is(run.code, 0, run.stdout + run.stderr);

  const { Rules = [] } = await events.send(new ListRulesCommand({ EventBusName: 'shop-orders' }));
  assert.is(Rules.length, 1);
  assert.equal([Rules[0].EventBusName, JSON.parse(Rules[0].EventPattern ?? '{}')], ['shop-orders', { source: ['shop.orders'] }]);
  const onDefault = await events.send(new ListRulesCommand({}));
  assert.equal(onDefault.Rules ?? [], [], 'nothing on the default bus');

  const lambda = new LambdaClient(motoClientConfig(context.moto));
  const deployed = await lambda.send(new GetFunctionCommand({ FunctionName: functionName('shop', 'Sweeper', 'sweep') }));
  const targets = await events.send(new ListTargetsByRuleCommand({ Rule: Rules[0].Name, EventBusName: 'shop-orders' }));
  assert.equal(targets.Targets?.map((target) => target.Arn), [deployed.Configuration?.FunctionArn]);
});

test.run();
