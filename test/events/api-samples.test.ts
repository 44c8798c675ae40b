import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SAMPLE_EVENTS } from '../../cli/events';

// `sparta event apigateway-v2 | apigateway | websocket`: the samples are made
// by the builders `sparta serve` uses (cli/events/api.ts) from a made-up curl
// request, so they carry what API Gateway sends: its time format
// (`02/Jan/2026:03:04:05 +0000`), the route's path parameters, and the
// fields of each payload format.

const NOW = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const sample = (type: string, values: Record<string, string> = {}) => SAMPLE_EVENTS[type].create({ region: 'eu-west-1', account: '123456789012', now: NOW, values }) as any;

test('apigateway-v2: payload 2.0 with the route key, path parameters and API Gateway\'s request time', () => {
  const event = sample('apigateway-v2', { method: 'GET', route: '/orders/{id}', path: '/orders/42' });
  assert.is(event.version, '2.0');
  assert.is(event.routeKey, 'GET /orders/{id}');
  assert.is(event.rawPath, '/orders/42');
  assert.equal(event.pathParameters, { id: '42' });
  assert.is(event.requestContext.time, '02/Jan/2026:03:04:05 +0000');
  assert.is(event.requestContext.timeEpoch, NOW.getTime());
  assert.is(event.requestContext.domainName, 'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com');
  assert.is(event.requestContext.http.sourceIp, '203.0.113.7');
  assert.is(event.body, undefined, 'a GET has no body');
});

test('apigateway-v2 on a named stage: rawPath starts with the stage', () => {
  const event = sample('apigateway-v2', { stage: 'prod', route: '/orders', path: '/orders' });
  assert.is(event.rawPath, '/prod/orders');
  assert.is(event.requestContext.stage, 'prod');
});

test('apigateway: payload 1.0 with multiValue fields, no authorizer as null, the stage in requestContext.path only', () => {
  const event = sample('apigateway', { method: 'POST', route: '/orders/{id}', path: '/orders/7', body: '{"n":1}' });
  assert.is(event.httpMethod, 'POST');
  assert.is(event.resource, '/orders/{id}');
  assert.is(event.path, '/orders/7');
  assert.is(event.requestContext.path, '/v1/orders/7');
  assert.equal(event.pathParameters, { id: '7' });
  assert.equal(event.multiValueHeaders['Content-Type'], ['application/json']);
  assert.is(event.requestContext.authorizer, null);
  assert.is(event.requestContext.requestTime, '02/Jan/2026:03:04:05 +0000');
  assert.match(event.requestContext.resourceId, /^[0-9a-z]{6}$/);
  assert.is(event.body, '{"n":1}');
  assert.is(event.isBase64Encoded, false);
});

test('websocket: a MESSAGE event of the route, with its body, identity and API Gateway\'s request time; $connect has no body', () => {
  const message = sample('websocket', { routeKey: 'say' });
  assert.is(message.requestContext.eventType, 'MESSAGE');
  assert.is(message.requestContext.routeKey, 'say');
  assert.is(message.requestContext.stage, 'v1');
  assert.is(message.requestContext.requestTime, '02/Jan/2026:03:04:05 +0000');
  assert.equal(message.requestContext.identity, { sourceIp: '203.0.113.7', userAgent: 'wscat/6.0.1' });
  assert.equal(JSON.parse(message.body), { action: 'say', data: 'hello' });
  const connect = sample('websocket', { routeKey: '$connect' });
  assert.is(connect.requestContext.eventType, 'CONNECT');
  assert.is(connect.body, undefined);
});

test.run();
