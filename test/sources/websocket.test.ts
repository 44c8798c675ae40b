// @WebSocket, from the decorator to the template, discovery, explain and the
// sample. moto's CloudFormation skips every AWS::ApiGatewayV2::* type
// (REFERENCE.md), so the template is the test: each expected resource is
// written out by hand, and cfn-lint checks them all.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Template } from '../../cli/template';
import { localDiscoveryDocument } from '../../cli/invoke/discovery';
import { DISCOVERY_ENV } from '../../manifest/discovery';
import { SAMPLE_EVENTS, sourceOf } from '../../sources';
import { expectLintClean } from '../helpers/cfn-lint';
import { fnId, getAtt, ref, sha8 } from '../template/expect';
import { analyze, expectOne, serviceOf, templateOf } from './support';

const test = suite('sources: @WebSocket');

const TYPES = "import type { APIGatewayProxyWebsocketEventV2, SQSEvent } from 'aws-lambda';\n";
const CHAT = TYPES + `@Service({ name: 'shop' })
export class Chat {
  @Lambda() @WebSocket('$connect') async connect(event: APIGatewayProxyWebsocketEventV2) { return { statusCode: 200 }; }
  @Lambda() @WebSocket('$disconnect') async disconnect() { return { statusCode: 200 }; }
  @Lambda() @WebSocket('say') @WebSocket('$default') async say(event: APIGatewayProxyWebsocketEventV2) { return { statusCode: 200 }; }
}
@Service({ name: 'shop' })
export class Other {
  @Lambda() @SNS({ topic: 'arn:aws:sns:us-east-1:123456789012:t' }) note() {}
}`;

const CONNECT = fnId('shop', 'ChatConnect', 'Chat', 'connect');
const DISCONNECT = fnId('shop', 'ChatDisconnect', 'Chat', 'disconnect');
const SAY = fnId('shop', 'ChatSay', 'Chat', 'say');
const NOTE = fnId('shop', 'OtherNote', 'Other', 'note');
const route = (fn: string, key: string) => `${fn}WebSocketRoute${sha8(JSON.stringify(key))}`;
const ENDPOINT = '${WebSocketApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/v1';
const MANAGE = {
  Effect: 'Allow',
  Action: 'execute-api:ManageConnections',
  Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/v1/POST/@connections/*' },
};
const statements = (template: Template, fn: string) => (template.Resources[`${fn}Policy`].Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
const linted: Record<string, Template> = {};

test('one WebSocket API a service: WEBSOCKET, routes chosen by $request.body.action', () => {
  const template = templateOf(CHAT);
  linted.chat = template;
  assert.equal(template.Resources.WebSocketApi, {
    Type: 'AWS::ApiGatewayV2::Api',
    Properties: { Name: 'shop-websocket', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' },
  });
  assert.equal(Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Api').length, 1);
});

test('a route a decorator, targeting its function\'s one AWS_PROXY integration', () => {
  const template = templateOf(CHAT);
  for (const [fn, key] of [[CONNECT, '$connect'], [DISCONNECT, '$disconnect'], [SAY, 'say'], [SAY, '$default']]) {
    assert.equal(template.Resources[route(fn, key)], {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: { ApiId: ref('WebSocketApi'), RouteKey: key, Target: { 'Fn::Sub': `integrations/\${${fn}WebSocketIntegration}` } },
    }, key);
  }
  assert.equal(template.Resources[`${SAY}WebSocketIntegration`], {
    Type: 'AWS::ApiGatewayV2::Integration',
    Properties: {
      ApiId: ref('WebSocketApi'),
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::Sub': `arn:\${AWS::Partition}:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${SAY}.Arn}/invocations` },
    },
  });
  const types = Object.values(template.Resources).map((r) => r.Type);
  assert.is(types.filter((t) => t === 'AWS::ApiGatewayV2::Integration').length, 3);
  assert.is(types.filter((t) => t === 'AWS::ApiGatewayV2::Route').length, 4);
});

test("each route's permission lets API Gateway call the function from that route of the stage alone", () => {
  const template = templateOf(CHAT);
  assert.equal(template.Resources[`${route(SAY, 'say')}Permission`], {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      Action: 'lambda:InvokeFunction',
      FunctionName: getAtt(SAY),
      Principal: 'apigateway.amazonaws.com',
      SourceArn: { 'Fn::Sub': 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/v1/say' },
    },
  });
  const arn = (template.Resources[`${route(CONNECT, '$connect')}Permission`].Properties!.SourceArn as { 'Fn::Sub': string })['Fn::Sub'];
  assert.ok(arn.endsWith('${WebSocketApi}/v1/$connect'), arn);
});

test('the stage v1 deploys itself, after every route; the wss URL is an output', () => {
  const template = templateOf(CHAT);
  assert.equal(template.Resources.WebSocketStage, {
    Type: 'AWS::ApiGatewayV2::Stage',
    DependsOn: [route(CONNECT, '$connect'), route(DISCONNECT, '$disconnect'), route(SAY, '$default'), route(SAY, 'say')].sort(),
    Properties: { ApiId: ref('WebSocketApi'), StageName: 'v1', AutoDeploy: true },
  });
  assert.equal(template.Outputs.WebSocketUrl.Value, { 'Fn::Sub': `wss://${ENDPOINT}` });
});

test('ManageConnections on this API alone, to the route functions only', () => {
  const template = templateOf(CHAT);
  // Once, though Chat.say has two routes.
  for (const fn of [CONNECT, DISCONNECT, SAY]) assert.equal(statements(template, fn).filter((s) => JSON.stringify(s).includes('ManageConnections')), [MANAGE]);
  assert.not.ok(JSON.stringify(statements(template, NOTE)).includes('ManageConnections'));
});

test("every function of the service finds the API's URLs through discover(); a service without routes has none", () => {
  const template = templateOf(CHAT);
  for (const fn of [SAY, NOTE]) {
    const document = JSON.parse((template.Resources[fn].Properties!.Environment as { Variables: Record<string, { 'Fn::Sub': string }> }).Variables[DISCOVERY_ENV]['Fn::Sub']);
    assert.equal(document.websocket, { url: `wss://${ENDPOINT}`, managementEndpoint: `https://${ENDPOINT}` });
  }
  const alone = templateOf(`@Service({ name: 'quiet' })\nexport class Q { @Lambda() @SNS({ topic: 'arn:aws:sns:us-east-1:123456789012:t' }) note() {} }`);
  assert.not.ok('WebSocketApi' in alone.Resources);
  assert.not.ok(Object.keys(alone.Outputs).includes('WebSocketUrl'));
});

test('sparta invoke gives discover().websocket local placeholders of the same shape', () => {
  const service = serviceOf(CHAT);
  const document = localDiscoveryDocument(service, service.functions.find((fn) => fn.id === 'Other.note')!, 'eu-west-1');
  assert.match(document.websocket!.url, /^wss:\/\/[a-z0-9]{10}\.execute-api\.eu-west-1\.amazonaws\.com\/v1$/);
  assert.is(document.websocket!.managementEndpoint, document.websocket!.url.replace(/^wss:/, 'https:'));
});

test('cfn-lint finds nothing in the templates', async () => {
  await expectLintClean(linted);
});

test('SPARTA047: a route key that starts with $ but is none of the three', () => {
  const d = expectOne(`@Service({ name: 'shop' })\nexport class C {\n  @Lambda() @WebSocket('$conect') connect() {}\n}`, 'SPARTA047', "'$conect'");
  assert.match(d.message, '$connect, $disconnect and $default');
});

test('SPARTA047: a route key with a space, an empty one, a non-string', () => {
  for (const key of ["'send message'", "''", '42']) {
    expectOne(`@Service({ name: 'shop' })\nexport class C {\n  @Lambda() @WebSocket(${key}) connect() {}\n}`, 'SPARTA047', `@WebSocket(${key})`);
  }
});

test('SPARTA048: two functions on one route of a service, reported at the later', () => {
  const body = `@Service({ name: 'shop' })\nexport class C {\n  @Lambda() @WebSocket('say') a() {}\n  @Lambda() @WebSocket('say') b() {}\n}`;
  const result = analyze(body);
  const found = result.diagnostics.filter((d) => d.code === 'SPARTA048');
  assert.is(found.length, 1);
  assert.is(found[0].file, 'src/service.ts');
  assert.is(found[0].line, 5);
  assert.match(found[0].message, 'C.a');
});

test('SPARTA028: a WebSocket handler typed as another source\'s event', () => {
  const d = expectOne(`${TYPES}@Service({ name: 'shop' })\nexport class C {\n  @Lambda() @WebSocket('say')\n  say(event: SQSEvent) {}\n}`, 'SPARTA028', 'say(event');
  assert.match(d.hint!, 'APIGatewayProxyWebsocketEventV2');
});

test('explain: the route in the EVENTS cell, the selection under it, an edge from the API', () => {
  const fn = serviceOf(CHAT).functions.find((f) => f.id === 'Chat.say')!;
  const [say, fallback] = fn.events;
  const source = sourceOf(say);
  assert.is(source.describe(say), 'websocket say');
  assert.equal(source.details(say), ['when $request.body.action is "say"']);
  assert.equal(source.details(fallback), []);
  assert.equal(source.edge(say), { shared: 'WebSocket API', label: 'say' });
});

test('sparta event websocket: CONNECT, DISCONNECT or MESSAGE by route key; --function takes the route', () => {
  const sample = SAMPLE_EVENTS.websocket;
  const create = (routeKey?: string) => sample.create({ region: 'us-east-1', account: '123456789012', now: new Date(0), values: { routeKey } }) as { requestContext: { eventType: string; routeKey: string }; body?: string };
  assert.is(create('$connect').requestContext.eventType, 'CONNECT');
  assert.is(create('$connect').body, undefined);
  assert.is(create('$disconnect').requestContext.eventType, 'DISCONNECT');
  const message = create('say');
  assert.is(message.requestContext.eventType, 'MESSAGE');
  assert.is(JSON.parse(message.body!).action, 'say');
  const fn = serviceOf(CHAT).functions.find((f) => f.id === 'Chat.connect')!;
  assert.equal(sample.sampleValues!(fn.events[0], undefined as never), { routeKey: '$connect' });
});

test.run();
