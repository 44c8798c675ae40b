import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate, type Template } from '../../cli/template';
import type { ServiceManifest } from '../../manifest/types';
import { HttpError, createHttpHandler } from '../../runtime/http';
import { SOURCE_DECORATORS } from '../../sources';
import { expectLintClean } from '../helpers/cfn-lint';
import { analyzeSources, diagnosticLines } from '../helpers/inline-project';
import { artifactsFor } from '../template/services';

const IMPORTS = `import { Service, Api, Lambda, ${SOURCE_DECORATORS.join(', ')} } from 'sparta';\nimport type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';\n`;

function analyze(body: string) {
  return analyzeSources({ 'src/service.ts': IMPORTS + body });
}

function serviceOf(body: string): ServiceManifest {
  const result = analyze(body);
  assert.ok(result.manifest, diagnosticLines(result).join('\n'));
  return result.manifest!.services[0];
}

function templateOf(body: string): Template {
  const service = serviceOf(body);
  return marshalTemplate(service, artifactsFor(service));
}

/** The one diagnostic of `code`, at the line (of src/service.ts) holding `needle`. */
function expectOne(body: string, code: string, needle: string): void {
  const result = analyze(body);
  assert.is(result.manifest, undefined);
  const found = result.diagnostics.filter((d) => d.code === code);
  assert.is(found.length, 1, JSON.stringify(result.diagnostics.map((d) => [d.code, d.line, d.message])));
  assert.is(found[0].file, 'src/service.ts');
  assert.is(found[0].line, body.split('\n').findIndex((line) => line.includes(needle)) + 3);
}

const route = (decorator: string, method = 'get', event = 'APIGatewayProxyEventV2') => `  @Lambda() ${decorator} ${method}(event: ${event}) { return 1; }\n`;
const svc = (members: string, api = '') => `@Service({ name: 'shop' })\n${api}export class Shop {\n${members}}\n`;

test('a malformed route is SPARTA040 at its decorator', () => {
  expectOne(svc(route("@Http('FETCH /orders')")), 'SPARTA040', 'FETCH');
  expectOne(svc(route("@Http('GET orders')")), 'SPARTA040', 'GET orders');
  expectOne(svc(route("@Http('GET /orders/')")), 'SPARTA040', '/orders/');
});

test('two functions on one route are SPARTA041, parameter names aside', () => {
  expectOne(svc(route("@Http('GET /orders/{id}')", 'a') + route("@Http('GET /orders/{key}')", 'b')), 'SPARTA041', '{key}');
});

test('a greedy parameter before the end is SPARTA042; a name used twice SPARTA043', () => {
  expectOne(svc(route("@Http('GET /files/{proxy+}/meta')")), 'SPARTA042', 'proxy+');
  expectOne(svc(route("@Http('GET /a/{id}/b/{id}')")), 'SPARTA043', '/a/{id}');
});

test('jwt on a REST API is SPARTA044', () => {
  expectOne(
    svc(route("@Http('GET /me', { auth: { jwt: { issuer: 'https://issuer.example.com', audience: ['app'] } } })", 'get', 'APIGatewayProxyEvent'), "@Api({ type: 'rest' })\n"),
    'SPARTA044',
    'jwt',
  );
});

test('two classes whose @Api disagree are SPARTA045 at the second; binaryMediaTypes on an HTTP API SPARTA046', () => {
  const body = svc(route("@Http('GET /a')"), "@Api({ type: 'http' })\n") + `@Service({ name: 'shop' })\n@Api({ type: 'http', stage: 'prod' })\nexport class Other {}\n`;
  expectOne(body, 'SPARTA045', "stage: 'prod'");
  expectOne(svc(route("@Http('GET /a')"), "@Api({ binaryMediaTypes: ['image/png'] })\n"), 'SPARTA046', 'binaryMediaTypes');
});

test('the event type follows the API: APIGatewayProxyEvent on a REST API is right, V2 wrong (SPARTA028)', () => {
  assert.ok(serviceOf(svc(route("@Http('GET /a')", 'get', 'APIGatewayProxyEvent'), "@Api({ type: 'rest' })\n")).api);
  expectOne(svc(route("@Http('GET /a')", 'get', 'APIGatewayProxyEventV2'), "@Api({ type: 'rest' })\n"), 'SPARTA028', 'get(event');
  expectOne(svc(route("@Http('GET /a')", 'get', 'APIGatewayProxyEvent')), 'SPARTA028', 'get(event');
});

test('a service with routes and no @Api gets the default HTTP API; cors: true allows anything', () => {
  assert.equal(serviceOf(svc(route("@Http('GET /a')"))).api, { type: 'http', stage: '$default', binaryMediaTypes: [], source: { file: 'src/service.ts', line: 5, column: 14 } });
  const api = serviceOf(svc(route("@Http('GET /a')", 'get', 'APIGatewayProxyEvent'), "@Api({ type: 'rest', cors: true })\n")).api!;
  assert.equal([api.stage, api.cors], ['v1', { origins: ['*'], methods: ['*'], headers: ['*'], exposedHeaders: [], credentials: false }]);
});

const HTTP_BODY = svc(
  route("@Http('GET /orders/{id}')", 'get') +
    route("@Http('POST /orders', { auth: 'iam' })", 'create') +
    route("@Http('GET /me', { auth: { jwt: { issuer: 'https://issuer.example.com', audience: ['app'] } } })", 'me'),
  "@Api({ cors: { origins: ['https://shop.example.com'], methods: ['GET', 'POST'], maxAge: 600 } })\n",
);
const REST_ROUTES = route("@Http('GET /orders/{id}')", 'get', 'APIGatewayProxyEvent') + route("@Http('POST /orders', { auth: 'iam' })", 'create', 'APIGatewayProxyEvent') + route("@Http('ANY /files/{proxy+}')", 'files', 'APIGatewayProxyEvent');

function ofType(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

test('an HTTP API: API with CORS, auto-deploying stage, an integration a function, a route each with its authorization', () => {
  const template = templateOf(HTTP_BODY);
  assert.equal(template.Resources.HttpApi.Properties!.CorsConfiguration, { AllowOrigins: ['https://shop.example.com'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['*'], MaxAge: 600 });
  assert.is(template.Resources.HttpApiStage.Properties!.AutoDeploy, true);
  assert.is(ofType(template, 'AWS::ApiGatewayV2::Integration').length, 3);
  const routes = Object.fromEntries(ofType(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties!.RouteKey, r.Properties!.AuthorizationType]));
  assert.equal(routes, { 'GET /orders/{id}': 'NONE', 'POST /orders': 'AWS_IAM', 'GET /me': 'JWT' });
  const [[, authorizer]] = ofType(template, 'AWS::ApiGatewayV2::Authorizer');
  assert.equal(authorizer.Properties!.JwtConfiguration, { Issuer: 'https://issuer.example.com', Audience: ['app'] });
  const arns = ofType(template, 'AWS::Lambda::Permission').map(([, p]) => (p.Properties!.SourceArn as { 'Fn::Sub': string })['Fn::Sub'].split(':').pop()).sort();
  assert.equal(arns, ['${HttpApi}/*/GET/me', '${HttpApi}/*/GET/orders/*', '${HttpApi}/*/POST/orders']);
  assert.equal(template.Outputs.ApiUrl.Value, { 'Fn::Sub': 'https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}' });
});

test('a REST API: one resource a path prefix, AWS_PROXY methods, a stage, permissions scoped to each route', () => {
  const template = templateOf(svc(REST_ROUTES, "@Api({ type: 'rest', binaryMediaTypes: ['image/png'] })\n"));
  assert.equal(template.Resources.RestApi.Properties!.BinaryMediaTypes, ['image/png']);
  const paths = ofType(template, 'AWS::ApiGateway::Resource').map(([, r]) => r.Properties!.PathPart).sort();
  assert.equal(paths, ['files', 'orders', '{id}', '{proxy+}']);
  const methods = ofType(template, 'AWS::ApiGateway::Method').map(([, m]) => [m.Properties!.HttpMethod, m.Properties!.AuthorizationType, (m.Properties!.Integration as Record<string, string>).Type]).sort();
  assert.equal(methods, [['ANY', 'NONE', 'AWS_PROXY'], ['GET', 'NONE', 'AWS_PROXY'], ['POST', 'AWS_IAM', 'AWS_PROXY']]);
  assert.is(template.Resources.RestApiStage.Properties!.StageName, 'v1');
  const arns = ofType(template, 'AWS::Lambda::Permission').map(([, p]) => (p.Properties!.SourceArn as { 'Fn::Sub': string })['Fn::Sub'].split(':').pop()).sort();
  assert.equal(arns, ['${RestApi}/*/*/files/*', '${RestApi}/*/GET/orders/*', '${RestApi}/*/POST/orders']);
  assert.equal(template.Outputs.ApiUrl.Value, { 'Fn::Sub': 'https://${RestApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/v1' });
});

test('a REST deployment is replaced exactly when the routes change', () => {
  const deployment = (body: string) => ofType(templateOf(body), 'AWS::ApiGateway::Deployment').map(([id]) => id);
  const rest = "@Api({ type: 'rest' })\n";
  const base = deployment(svc(REST_ROUTES, rest));
  assert.is(base.length, 1);
  assert.equal(deployment(svc(REST_ROUTES.replace(/@Lambda\(\)/g, '@Lambda({ memorySize: 512 })'), rest)), base);
  assert.not.equal(deployment(svc(REST_ROUTES + route("@Http('DELETE /orders/{id}')", 'remove', 'APIGatewayProxyEvent'), rest)), base);
  assert.not.equal(deployment(svc(REST_ROUTES.replace("{ auth: 'iam' }", "{ auth: 'none' }"), rest)), base);
});

test('REST CORS: an OPTIONS MOCK method on each routed resource', () => {
  const template = templateOf(svc(REST_ROUTES, "@Api({ type: 'rest', cors: true })\n"));
  const options = ofType(template, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties!.HttpMethod === 'OPTIONS');
  assert.is(options.length, 3);
  for (const [, method] of options) assert.is((method.Properties!.Integration as Record<string, string>).Type, 'MOCK');
});

test('the API templates are cfn-lint clean', async () => {
  await expectLintClean({
    http: templateOf(HTTP_BODY),
    rest: templateOf(svc(REST_ROUTES, "@Api({ type: 'rest', binaryMediaTypes: ['image/png'] })\n")),
    restCors: templateOf(svc(REST_ROUTES, "@Api({ type: 'rest', stage: 'prod', cors: { origins: ['https://a.example.com', 'https://b.example.com'], credentials: true } })\n")),
  });
});

class Shop {
  value: unknown;
  async get() {
    if (this.value instanceof Error) throw this.value;
    return this.value;
  }
}

async function answer(value: unknown) {
  const handler = createHttpHandler(
    class extends Shop {
      value = value;
    },
    'get',
  );
  return handler({}, {});
}

test('a route handler: a proxy result as it is, a value as 200 JSON, an HttpError as its status, another error as a 500 that hides it', async () => {
  assert.equal(await answer({ statusCode: 201, body: 'made' }), { statusCode: 201, body: 'made' });
  assert.equal(await answer({ id: 7 }), { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"id":7}' });
  assert.equal(await answer(new HttpError(404, 'no such order')), { statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"no such order"}' });
  assert.equal(await answer(new HttpError(409, 'x', { headers: { 'retry-after': '3' }, body: 'busy' })), { statusCode: 409, headers: { 'retry-after': '3' }, body: 'busy' });
  const write = process.stdout.write;
  let logged = '';
  process.stdout.write = ((chunk: string) => ((logged += chunk), true)) as typeof process.stdout.write;
  try {
    const result = (await answer(new Error('secret db password'))) as { statusCode: number; body: string };
    assert.is(result.statusCode, 500);
    assert.not.match(result.body, 'secret');
  } finally {
    process.stdout.write = write;
  }
  assert.match(logged, 'secret db password');
});

test.run();
