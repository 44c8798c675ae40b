// @Api({ type: 'http' }) end to end: `sparta provision` of a service with
// several routes (a path parameter, two methods on one path, IAM and JWT
// auth, a greedy {proxy+}) and CORS against a real moto_server. moto 5.2.1's
// CloudFormation skips every AWS::ApiGatewayV2::* type (REFERENCE.md): the
// skipped-resource check proves exactly those were skipped and everything
// else created; the API itself is asserted on the template that was
// provisioned (cfn-lint clean), and on AWS what moto does create: the
// functions, each one's permission for API Gateway scoped to its own route,
// and discover().api in each function's environment.
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { rmSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { functionIds } from '../../cli/template/ids';
import type { Template } from '../../cli/template/types';
import { DISCOVERY_ENV } from '../../manifest/discovery';
import { expectLintClean } from '../helpers/cfn-lint';
import { writeProject } from '../helpers/handmade';
import { motoClientConfig, startMoto, type MotoContext, type MotoServer } from '../helpers/moto';
import { provisionOnMoto } from '../helpers/moto-provision';
import type { SkippedResource } from '../helpers/moto-skips';
import { setup } from '../helpers/setup';

const SERVICE = 'shop-http';
const BUCKET = 'shop-http-artifacts';
const ACCOUNT = '123456789012';
const ISSUER = 'https://issuer.example.com';
const root = writeProject({
  'src/orders.ts': `import { Service, Api, Lambda, Http } from 'sparta';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

@Service({ name: '${SERVICE}' })
@Api({ type: 'http', cors: { origins: ['https://shop.example.com'], methods: ['GET', 'POST'], headers: ['content-type'], maxAge: 600 } })
export class Orders {
  @Lambda() @Http('GET /orders') list(event: APIGatewayProxyEventV2) { return []; }
  @Lambda() @Http('POST /orders', { auth: 'iam' }) create(event: APIGatewayProxyEventV2) { return { statusCode: 201, body: event.body ?? '' }; }
  @Lambda() @Http('GET /orders/{id}') get(event: APIGatewayProxyEventV2) { return { id: event.pathParameters?.id }; }
  @Lambda() @Http('GET /me', { auth: { jwt: { issuer: '${ISSUER}', audience: ['shop-app'] } } }) me(event: APIGatewayProxyEventV2) { return {}; }
  @Lambda() @Http('ANY /files/{proxy+}') files(event: APIGatewayProxyEventV2) { return event.rawPath; }
}
`,
});

/** Each route as written, its authorization type, and the method and path its permission's SourceArn names. */
const ROUTES = [
  { method: 'list', routeKey: 'GET /orders', authorization: 'NONE', arnTail: 'GET/orders' },
  { method: 'create', routeKey: 'POST /orders', authorization: 'AWS_IAM', arnTail: 'POST/orders' },
  { method: 'get', routeKey: 'GET /orders/{id}', authorization: 'NONE', arnTail: 'GET/orders/*' },
  { method: 'me', routeKey: 'GET /me', authorization: 'JWT', arnTail: 'GET/me' },
  { method: 'files', routeKey: 'ANY /files/{proxy+}', authorization: 'NONE', arnTail: '*/files/*' },
] as const;

const logicalIdOf = (method: string) => functionIds({ service: SERVICE, className: 'Orders', methodName: method }).function;

interface Provisioned {
  template: Template;
  skipped: SkippedResource[];
  physical: Record<string, string>;
  lambda: LambdaClient;
}

interface Context extends MotoContext {
  deployed: Provisioned;
}

async function provision(moto: MotoServer): Promise<Provisioned> {
  const { templateBody, skipped, physical } = await provisionOnMoto(moto, {
    root,
    service: SERVICE,
    bucket: BUCKET,
    skippedTypes: ['AWS::ApiGatewayV2::Api', 'AWS::ApiGatewayV2::Authorizer', 'AWS::ApiGatewayV2::Integration', 'AWS::ApiGatewayV2::Route', 'AWS::ApiGatewayV2::Stage'],
  });
  return { template: JSON.parse(templateBody) as Template, skipped, physical, lambda: new LambdaClient(motoClientConfig(moto)) };
}

// One provision for the whole file, in the suite's setup (a failure there fails every test): the tests read the same stack.
const test = suite<Context>('@Api HTTP provisioned on moto');
setup(test, async (context) => {
  context.moto = await startMoto();
  context.deployed = await provision(context.moto);
});
test.after(async (context) => {
  await context.moto?.stop();
  rmSync(root, { recursive: true, force: true });
});

const ofType = (template: Template, type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);

test('what moto skipped is the API, its $default stage, a route a function, an integration a function and the one JWT authorizer', (context) => {
  const count = (type: string) => context.deployed.skipped.filter((resource) => resource.type === type).length;
  assert.equal(
    [count('AWS::ApiGatewayV2::Api'), count('AWS::ApiGatewayV2::Stage'), count('AWS::ApiGatewayV2::Route'), count('AWS::ApiGatewayV2::Integration'), count('AWS::ApiGatewayV2::Authorizer')],
    [1, 1, ROUTES.length, ROUTES.length, 1],
  );
});

test('the provisioned template is cfn-lint clean', async (context) => {
  await expectLintClean({ 'http-api': context.deployed.template });
});

test('each route has its key and authorization, and targets an AWS_PROXY 2.0 integration invoking its own function', (context) => {
  const { template } = context.deployed;
  const routes = ofType(template, 'AWS::ApiGatewayV2::Route').map(([, route]) => route.Properties!);
  assert.equal(routes.map((route) => route.RouteKey).sort(), ROUTES.map((route) => route.routeKey).sort());
  for (const expected of ROUTES) {
    const route = routes.find((properties) => properties.RouteKey === expected.routeKey)!;
    assert.is(route.AuthorizationType, expected.authorization, expected.routeKey);
    assert.equal(route.ApiId, { Ref: 'HttpApi' });
    const [, [, integrationRef]] = (route.Target as { 'Fn::Join': [string, [string, { Ref: string }]] })['Fn::Join'];
    assert.equal(template.Resources[integrationRef.Ref].Properties, {
      ApiId: { Ref: 'HttpApi' },
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [logicalIdOf(expected.method), 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
  }
});

test('the JWT route names the authorizer of its issuer and audience, read from the Authorization header', (context) => {
  const { template } = context.deployed;
  const me = ofType(template, 'AWS::ApiGatewayV2::Route').find(([, route]) => route.Properties!.RouteKey === 'GET /me')![1];
  const authorizer = template.Resources[(me.Properties!.AuthorizerId as { Ref: string }).Ref];
  assert.is(authorizer.Type, 'AWS::ApiGatewayV2::Authorizer');
  assert.equal(authorizer.Properties!.JwtConfiguration, { Issuer: ISSUER, Audience: ['shop-app'] });
  assert.equal(authorizer.Properties!.IdentitySource, ['$request.header.Authorization']);
});

test('the API carries its CORS settings and deploys itself to the $default stage', (context) => {
  const { template } = context.deployed;
  assert.equal(template.Resources.HttpApi.Properties, {
    Name: SERVICE,
    ProtocolType: 'HTTP',
    CorsConfiguration: { AllowOrigins: ['https://shop.example.com'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type'], MaxAge: 600 },
  });
  assert.equal(template.Resources.HttpApiStage.Properties, { ApiId: { Ref: 'HttpApi' }, StageName: '$default', AutoDeploy: true });
});

test('moto created each function with a permission for apigateway.amazonaws.com from its own route alone (any stage)', async (context) => {
  const { physical, lambda } = context.deployed;
  for (const route of ROUTES) {
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: physical[logicalIdOf(route.method)] }))).Policy ?? '{}') as {
      Statement: Array<{ Principal: unknown; Action: string; Condition?: { ArnLike?: Record<string, string> } }>;
    };
    assert.is(policy.Statement.length, 1, route.method);
    assert.equal(policy.Statement[0].Principal, { Service: 'apigateway.amazonaws.com' });
    assert.is(policy.Statement[0].Action, 'lambda:InvokeFunction');
    // The API's ID is what moto makes of a Ref to a resource it skipped: any text without a slash.
    const arn = policy.Statement[0].Condition?.ArnLike?.['AWS:SourceArn'] ?? '';
    const tail = `/*/${route.arnTail}`;
    assert.ok(arn.startsWith(`arn:aws:execute-api:us-east-1:${ACCOUNT}:`) && arn.endsWith(tail) && !arn.slice(0, -tail.length).includes('/'), `${route.method}: ${arn}`);
  }
});

test("each function's discover().api is the HTTP API: its type, the $default stage, and a URL without a stage", async (context) => {
  const { physical, lambda } = context.deployed;
  for (const route of ROUTES) {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: physical[logicalIdOf(route.method)] }));
    const discovery = JSON.parse(fn.Configuration?.Environment?.Variables?.[DISCOVERY_ENV] ?? '{}') as { api?: { url: string; type: string; stage: string } };
    assert.is(discovery.api?.type, 'http', route.method);
    assert.is(discovery.api?.stage, '$default', route.method);
    assert.match(discovery.api?.url ?? '', /^https:\/\/[^/]*\.execute-api\.us-east-1\.amazonaws\.com$/, route.method);
  }
});

test.run();
