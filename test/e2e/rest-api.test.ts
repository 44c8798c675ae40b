// @Api({ type: 'rest' }) end to end: `sparta provision` of a service with
// several routes (a literal path with two methods, a path parameter, a greedy
// {proxy+}) against a real moto_server, read back through the API Gateway
// API: the resource tree, each method with its AWS_PROXY integration naming
// its own function, the deployment, and each function's permission scoped to
// its own route. moto 5.2.1 skips AWS::ApiGateway::Stage (a stage appears
// only through Deployment.StageName), so the stage is asserted on the
// template; the service declares no CORS, whose MOCK OPTIONS methods make
// moto's CreateStack answer 500 (/work/shared/REFERENCE.md).
import {
  APIGatewayClient,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApisCommand,
  type Resource,
} from '@aws-sdk/client-api-gateway';
import { GetFunctionCommand, GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { rmSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { functionIds } from '../../cli/template/ids';
import { DISCOVERY_ENV } from '../../manifest/discovery';
import { writeProject } from '../helpers/handmade';
import { motoClientConfig, startMoto, type MotoContext, type MotoServer } from '../helpers/moto';
import { setup } from '../helpers/setup';
import { provisionOnMoto } from '../helpers/moto-provision';

const SERVICE = 'shop-rest';
const BUCKET = 'shop-rest-artifacts';
const ACCOUNT = '123456789012';
const root = writeProject({
  'src/orders.ts': `import { Service, Api, Lambda, Http } from 'sparta';
import type { APIGatewayProxyEvent } from 'aws-lambda';

@Service({ name: '${SERVICE}' })
@Api({ type: 'rest' })
export class Orders {
  @Lambda() @Http('GET /orders') list(event: APIGatewayProxyEvent) { return []; }
  @Lambda() @Http('POST /orders') create(event: APIGatewayProxyEvent) { return { statusCode: 201, body: event.body ?? '' }; }
  @Lambda() @Http('GET /orders/{id}') get(event: APIGatewayProxyEvent) { return { id: event.pathParameters?.id }; }
  @Lambda() @Http('ANY /files/{proxy+}') files(event: APIGatewayProxyEvent) { return event.path; }
}
`,
});

/** Each route, and the method and path its permission's SourceArn names (`*` for ANY and for each parameter). */
const ROUTES = [
  { method: 'list', httpMethod: 'GET', path: '/orders', arnTail: 'GET/orders' },
  { method: 'create', httpMethod: 'POST', path: '/orders', arnTail: 'POST/orders' },
  { method: 'get', httpMethod: 'GET', path: '/orders/{id}', arnTail: 'GET/orders/*' },
  { method: 'files', httpMethod: 'ANY', path: '/files/{proxy+}', arnTail: '*/files/*' },
] as const;

interface Provisioned {
  restApiId: string;
  resources: Resource[];
  physical: Record<string, string>;
  template: { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  apigateway: APIGatewayClient;
  lambda: LambdaClient;
}

interface Context extends MotoContext {
  deployed: Provisioned;
}

// One provision for the whole file, in the suite's setup (a failure there fails every test): the tests read the same stack.
const test = suite<Context>('@Api REST provisioned end to end on moto');
setup(test, async (context) => {
  context.moto = await startMoto();
  context.deployed = await provision(context.moto);
});
test.after(async (context) => {
  await context.moto?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function provision(moto: MotoServer): Promise<Provisioned> {
  const { templateBody, physical } = await provisionOnMoto(moto, { root, service: SERVICE, bucket: BUCKET, skippedTypes: ['AWS::ApiGateway::Stage'] });
  const apigateway = new APIGatewayClient(motoClientConfig(moto));
  const apis = (await apigateway.send(new GetRestApisCommand({}))).items ?? [];
  assert.equal(
    apis.map((api) => api.name),
    [SERVICE],
  );
  const restApiId = apis[0].id!;
  const resources = (await apigateway.send(new GetResourcesCommand({ restApiId, limit: 500 }))).items ?? [];
  return { restApiId, resources, physical, template: JSON.parse(templateBody), apigateway, lambda: new LambdaClient(motoClientConfig(moto)) };
}

test('the resource tree is the routes\' paths and every prefix of them, each under its parent', async (context) => {
  const { resources } = context.deployed;
  const byId = new Map(resources.map((resource) => [resource.id, resource]));
  const tree = resources.map((resource) => [resource.path, resource.pathPart ?? null, resource.parentId === undefined ? null : byId.get(resource.parentId)?.path]).sort();
  assert.equal(tree, [
    ['/', null, null],
    ['/files', 'files', '/'],
    ['/files/{proxy+}', '{proxy+}', '/files'],
    ['/orders', 'orders', '/'],
    ['/orders/{id}', '{id}', '/orders'],
  ]);
});

test('each method is an AWS_PROXY integration (POST) invoking its own function\'s ARN; no other method exists', async (context) => {
  const { restApiId, resources, physical, apigateway, lambda } = context.deployed;
  const methods: string[] = [];
  for (const resource of resources) methods.push(...Object.keys(resource.resourceMethods ?? {}).map((method) => `${method} ${resource.path}`));
  assert.equal(methods.sort(), ROUTES.map((route) => `${route.httpMethod} ${route.path}`).sort());
  for (const route of ROUTES) {
    const resourceId = resources.find((resource) => resource.path === route.path)!.id!;
    const method = await apigateway.send(new GetMethodCommand({ restApiId, resourceId, httpMethod: route.httpMethod }));
    assert.is(method.authorizationType, 'NONE', route.method);
    const integration = await apigateway.send(new GetIntegrationCommand({ restApiId, resourceId, httpMethod: route.httpMethod }));
    const functionName = physical[functionIds({ service: SERVICE, className: 'Orders', methodName: route.method }).function];
    const functionArn = (await lambda.send(new GetFunctionCommand({ FunctionName: functionName }))).Configuration?.FunctionArn;
    assert.ok(functionArn?.startsWith(`arn:aws:lambda:us-east-1:${ACCOUNT}:function:`), functionArn);
    assert.is(integration.type, 'AWS_PROXY', route.method);
    assert.is(integration.httpMethod, 'POST', route.method);
    assert.is(integration.uri, `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${functionArn}/invocations`, route.method);
  }
});

test('each function may be invoked by apigateway.amazonaws.com from its own route of this API alone (any stage)', async (context) => {
  const { restApiId, physical, lambda } = context.deployed;
  for (const route of ROUTES) {
    const functionName = physical[functionIds({ service: SERVICE, className: 'Orders', methodName: route.method }).function];
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: functionName }))).Policy ?? '{}') as {
      Statement: Array<{ Principal: unknown; Action: string; Condition?: { ArnLike?: Record<string, string> } }>;
    };
    assert.is(policy.Statement.length, 1, route.method);
    assert.equal(policy.Statement[0].Principal, { Service: 'apigateway.amazonaws.com' });
    assert.is(policy.Statement[0].Action, 'lambda:InvokeFunction');
    assert.is(policy.Statement[0].Condition?.ArnLike?.['AWS:SourceArn'], `arn:aws:execute-api:us-east-1:${ACCOUNT}:${restApiId}/*/${route.arnTail}`, route.method);
  }
});

test('one deployment of the API exists; the v1 stage moto skips is on the template, pointing at that deployment', async (context) => {
  const { restApiId, template, apigateway } = context.deployed;
  const deployments = (await apigateway.send(new GetDeploymentsCommand({ restApiId }))).items ?? [];
  assert.is(deployments.length, 1);
  const deploymentIds = Object.entries(template.Resources).filter(([, resource]) => resource.Type === 'AWS::ApiGateway::Deployment').map(([id]) => id);
  assert.is(deploymentIds.length, 1);
  // moto lists the deployment without a physical ID: its description tells it is the template's.
  assert.is(deployments[0].description, `${ROUTES.length} routes of ${SERVICE}`);
  assert.equal(template.Resources.RestApiStage.Properties, { RestApiId: { Ref: 'RestApi' }, DeploymentId: { Ref: deploymentIds[0] }, StageName: 'v1' });
});

test("each function's discover().api is this REST API's v1 stage URL", async (context) => {
  const { restApiId, physical, lambda } = context.deployed;
  for (const route of ROUTES) {
    const fn = await lambda.send(new GetFunctionCommand({ FunctionName: physical[functionIds({ service: SERVICE, className: 'Orders', methodName: route.method }).function] }));
    const discovery = JSON.parse(fn.Configuration?.Environment?.Variables?.[DISCOVERY_ENV] ?? '{}') as { api?: unknown };
    assert.equal(discovery.api, { url: `https://${restApiId}.execute-api.us-east-1.amazonaws.com/v1`, type: 'rest', stage: 'v1' }, route.method);
  }
});

test.run();
