import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { DiscoveryDocument } from '../../manifest/discovery';
import type { CorsManifest } from '../../manifest/types';
import { createHttpHandler, withCorsHeaders } from '../../runtime/http';
import { withEnv } from '../helpers/env';

// A REST API's proxy integration adds no CORS headers to a function's
// answers; the route handler adds the ones an HTTP API would, read from
// discover().api.cors.

const CORS: CorsManifest = { origins: ['https://shop.example.com'], methods: ['GET'], headers: ['content-type'], exposedHeaders: ['x-order'], credentials: true };
const SHOP = 'https://shop.example.com';

test("the API's CORS headers replace the function's own of the same names, whatever their case; others stay", () => {
  const answer = withCorsHeaders(
    { statusCode: 200, headers: { 'Access-Control-Allow-Origin': '*', 'x-order': '7' }, multiValueHeaders: { 'ACCESS-CONTROL-ALLOW-ORIGIN': ['*'], 'set-cookie': ['a=1'] }, body: '{}' },
    CORS,
    SHOP,
  );
  assert.equal(answer.headers, {
    'x-order': '7',
    'access-control-allow-origin': SHOP,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'x-order',
    vary: 'Origin',
  });
  assert.equal(answer.multiValueHeaders, { 'set-cookie': ['a=1'] });
});

test('a request from an origin not listed, or with no Origin, gets the answer as the function wrote it', () => {
  const result = { statusCode: 200, headers: { 'access-control-allow-origin': '*' }, body: '{}' };
  assert.equal(withCorsHeaders(result, CORS, 'https://elsewhere.example.com'), result);
  assert.equal(withCorsHeaders(result, CORS, undefined), result);
});

class Shop {
  get() {
    return { ok: true };
  }
}

function document(api: DiscoveryDocument['api']): string {
  return JSON.stringify({ stackName: 'shop', stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop/1', region: 'us-east-1', logicalId: 'ShopGet', api, resources: {} });
}

const restEvent = { httpMethod: 'GET', resource: '/orders', path: '/orders', headers: { Origin: SHOP } };

test('the handler of a REST API route adds them, for the Origin header as the client spelled it', async () => {
  const handler = createHttpHandler(Shop, 'get');
  const answer = (await withEnv({ SPARTA_DISCOVERY: document({ url: 'https://a.execute-api.us-east-1.amazonaws.com/v1', type: 'rest', stage: 'v1', cors: CORS }) }, () => handler(restEvent, {}))) as { headers: Record<string, string> };
  assert.is(answer.headers['access-control-allow-origin'], SHOP);
  assert.is(answer.headers['content-type'], 'application/json');
});

test("the handler of an HTTP API route adds none: the API adds them itself", async () => {
  const handler = createHttpHandler(Shop, 'get');
  const answer = (await withEnv({ SPARTA_DISCOVERY: document({ url: 'https://a.execute-api.us-east-1.amazonaws.com', type: 'http', stage: '$default' }) }, () => handler({ headers: { origin: SHOP } }, {}))) as { headers: Record<string, string> };
  assert.equal(answer.headers, { 'content-type': 'application/json' });
});

test('outside a deployed function (no discovery document) the handler answers without them', async () => {
  const handler = createHttpHandler(Shop, 'get');
  const answer = (await withEnv({ SPARTA_DISCOVERY: undefined, AWS_LAMBDA_FUNCTION_NAME: undefined }, () => handler(restEvent, {}))) as { headers: Record<string, string> };
  assert.equal(answer.headers, { 'content-type': 'application/json' });
});

test.run();
