// @WebSocket end to end: `sparta provision` of a chat service against a real
// moto_server. moto's CloudFormation skips every AWS::ApiGatewayV2::* type
// (REFERENCE.md; test/sources/websocket.test.ts asserts them on the
// template), so what is asserted on AWS is what moto creates: the functions,
// each route's permission for API Gateway, and the ManageConnections grant.
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { functionIds } from '../../cli/template/ids';
import { runCli } from '../helpers/cli';
import { writeProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';

const test = suite<MotoContext>('@WebSocket provisioned end to end on moto');
withMoto(test);

const SERVICE = 'chat-ws';
const BUCKET = 'chat-artifacts';
const root = writeProject({
  'src/chat.ts': `import { Service, Lambda, WebSocket } from 'sparta';

@Service({ name: '${SERVICE}' })
export class Chat {
  @Lambda() @WebSocket('$connect') connect() { return { statusCode: 200 }; }
  @Lambda() @WebSocket('say') say() { return { statusCode: 200 }; }
}
`,
});
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };

test('the functions, a permission a route for apigateway.amazonaws.com, and ManageConnections; every ApiGatewayV2 resource is what moto skips', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const run = await runCli(['provision', '--s3-bucket', BUCKET, '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta'), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`stack ${SERVICE}: CREATE_COMPLETE`));
  await expectMotoSkipped(aws.apis, SERVICE, readFileSync(path.join(root, '.sparta', SERVICE, 'template.json'), 'utf8'), [
    'AWS::ApiGatewayV2::Api',
    'AWS::ApiGatewayV2::Integration',
    'AWS::ApiGatewayV2::Route',
    'AWS::ApiGatewayV2::Stage',
  ]);
  const physical = Object.fromEntries((await listStackResources(aws.apis.cloudFormation, SERVICE)).map((r) => [r.LogicalResourceId, r.PhysicalResourceId])) as Record<string, string>;
  const lambda = new LambdaClient(motoClientConfig(context.moto));
  for (const [method, route] of [['connect', '$connect'], ['say', 'say']]) {
    const ids = functionIds({ service: SERVICE, className: 'Chat', methodName: method });
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: physical[ids.function] }))).Policy ?? '{}') as { Statement: Array<{ Principal: unknown; Action: string; Condition?: { ArnLike?: Record<string, string> } }> };
    assert.is(policy.Statement.length, 1, method);
    assert.equal(policy.Statement[0].Principal, { Service: 'apigateway.amazonaws.com' });
    assert.is(policy.Statement[0].Action, 'lambda:InvokeFunction');
    assert.match(policy.Statement[0].Condition?.ArnLike?.['AWS:SourceArn'] ?? '', new RegExp(`^arn:aws:execute-api:us-east-1:123456789012:.*/v1/${route.replace('$', '\\$')}$`));
    const iam = aws.sdk.iam;
    const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: physical[ids.role] }));
    const document = await iam.send(new GetRolePolicyCommand({ RoleName: physical[ids.role], PolicyName: PolicyNames[0] }));
    const statements = JSON.parse(decodeURIComponent(document.PolicyDocument ?? '{}')).Statement as Array<{ Action: unknown; Resource: string }>;
    const manage = statements.filter((statement) => statement.Action === 'execute-api:ManageConnections');
    assert.is(manage.length, 1, method);
    assert.match(manage[0].Resource, /^arn:aws:execute-api:us-east-1:123456789012:.*\/v1\/POST\/@connections\/\*$/);
  }
});

test.run();
