import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serve, type ServeHandle } from '../../cli/serve';
import { setup } from '../helpers/setup';
import { collector, servedBuild } from './support';

// `sparta serve` on an HTTP API: real requests over loopback to a server whose
// functions run in their own warm processes.

const ECHO = `return { statusCode: 200, headers: { 'x-fn': 'echo' }, body: JSON.stringify({ event, pid: process.pid }) };`;
let handle: ServeHandle;
const logs = collector();

setup(test, async () => {
  const build = servedBuild(
    'shop',
    [
      { id: 'Orders.get', code: ECHO, http: [{ method: 'GET', path: '/orders/{id}' }] },
      { id: 'Orders.special', code: `return 'special';`, http: [{ method: 'GET', path: '/orders/special' }] },
      { id: 'Orders.files', code: `return { path: event.pathParameters.proxy };`, http: [{ method: 'ANY', path: '/files/{proxy+}' }] },
      { id: 'Orders.list', code: `return [{ id: 1 }];`, http: [{ method: 'GET', path: '/orders' }] },
      { id: 'Orders.upload', code: `return { statusCode: 201, headers: { 'content-type': 'application/octet-stream' }, body: event.body, isBase64Encoded: event.isBase64Encoded, event };`.replace(', event }', ' }'), http: [{ method: 'POST', path: '/upload' }] },
      { id: 'Orders.uploadEvent', code: `return { base64: event.isBase64Encoded, body: event.body };`, http: [{ method: 'POST', path: '/upload/event' }] },
      { id: 'Orders.cookies', code: `return { statusCode: 200, cookies: ['a=1', 'b=2'], body: 'ok', headers: { 'content-type': 'text/plain' } };`, http: [{ method: 'GET', path: '/cookies' }] },
      { id: 'Orders.fail', code: `throw new Error('secret detail');`, http: [{ method: 'GET', path: '/fail' }] },
      { id: 'Orders.status500', code: `return { statusCode: 500, body: JSON.stringify({ message: 'no such order' }) };`, http: [{ method: 'GET', path: '/status500' }] },
      { id: 'Orders.malformed', code: `return { statusCode: 'abc' };`, http: [{ method: 'GET', path: '/malformed' }] },
      { id: 'Orders.exit', code: `process.exit(3);`, http: [{ method: 'GET', path: '/exit' }] },
      { id: 'Orders.slow', code: `await new Promise((r) => setTimeout(r, 5000)); return 'late';`, http: [{ method: 'GET', path: '/slow' }], options: { timeout: 1 } },
      { id: 'Orders.pid', code: `await new Promise((r) => setTimeout(r, Number(event.queryStringParameters?.ms ?? 0))); return { pid: process.pid };`, http: [{ method: 'GET', path: '/pid' }] },
      { id: 'Orders.signed', code: `return { ok: true };`, http: [{ method: 'POST', path: '/signed', auth: 'iam' }] },
      { id: 'Orders.token', code: `return { claims: event.requestContext.authorizer.jwt.claims };`, http: [{ method: 'GET', path: '/token', auth: { jwt: { issuer: 'https://issuer.example.com', audience: ['shop'] } } }] },
      { id: 'Orders.size', code: `console.log('the size function ran'); return { bytes: Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').length };`, http: [{ method: 'POST', path: '/size' }] },
      {
        id: 'Orders.env',
        code: `return { name: process.env.AWS_LAMBDA_FUNCTION_NAME, memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, contextMemory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis(), region: process.env.AWS_REGION };`,
        http: [{ method: 'GET', path: '/env' }],
        options: { memorySize: 256, timeout: 7 },
      },
      { id: 'Orders.discovery', code: `return JSON.parse(process.env.SPARTA_DISCOVERY);`, http: [{ method: 'GET', path: '/discovery' }] },
    ],
    { type: 'http', cors: { origins: ['https://shop.example.com'], methods: ['GET', 'POST'], headers: ['content-type'], exposedHeaders: ['x-fn'], credentials: false, maxAge: 600 } },
  );
  handle = await serve({ host: '127.0.0.1', port: 0, build: async () => build, logs });
});

test.after(async () => {
  await handle?.close();
});

const get = (path: string, init?: RequestInit) => fetch(`${handle.url}${path}`, init);

test('the URL is the origin for an HTTP API on $default; a route gets payload 2.0 with path parameters, query string, headers and cookies', async () => {
  assert.match(handle.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const response = await get('/orders/a%20b?x=1&x=2&y=3', { headers: { 'X-Custom': 'Yes', cookie: 'c1=v1; c2=v2' } });
  assert.is(response.status, 200);
  assert.is(response.headers.get('x-fn'), 'echo');
  const { event } = (await response.json()) as any;
  assert.is(event.version, '2.0');
  assert.is(event.routeKey, 'GET /orders/{id}');
  assert.is(event.rawPath, '/orders/a%20b');
  assert.is(event.rawQueryString, 'x=1&x=2&y=3');
  assert.equal(event.queryStringParameters, { x: '1,2', y: '3' });
  assert.equal(event.pathParameters, { id: 'a b' });
  assert.is(event.headers['x-custom'], 'Yes');
  assert.equal(event.cookies, ['c1=v1', 'c2=v2']);
  assert.is(event.headers.cookie, undefined);
  assert.is(event.requestContext.http.method, 'GET');
  assert.is(event.requestContext.http.path, '/orders/a%20b');
  assert.is(event.requestContext.http.sourceIp, '127.0.0.1');
  assert.is(event.requestContext.stage, '$default');
  assert.is(event.requestContext.routeKey, 'GET /orders/{id}');
  assert.is(event.requestContext.accountId, '123456789012');
  assert.is(typeof event.requestContext.timeEpoch, 'number');
  assert.match(event.requestContext.time, /^\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
  assert.is(event.isBase64Encoded, false);
  assert.is(event.body, undefined);
});

test("each request has its own requestContext.requestId, shaped like an HTTP API's (base64 of 10 bytes)", async () => {
  const ids = await Promise.all([1, 2].map(async () => (((await (await get('/orders/1')).json()) as any).event.requestContext.requestId as string)));
  for (const id of ids) assert.is(Buffer.from(id, 'base64').length, 10, id);
  assert.is.not(ids[0], ids[1]);
});

test('an exact segment wins over {param}; {proxy+} with ANY takes the rest of the path', async () => {
  assert.is(await (await get('/orders/special')).json(), 'special');
  const proxied = await get('/files/a/b/c.txt', { method: 'DELETE' });
  assert.equal(await proxied.json(), { path: 'a/b/c.txt' });
});

test('a plain value is a 200 with a JSON body', async () => {
  const response = await get('/orders');
  assert.is(response.status, 200);
  assert.is(response.headers.get('content-type'), 'application/json');
  assert.equal(await response.json(), [{ id: 1 }]);
});

test('an unknown route, or a known path with another method, is 404 {"message":"Not Found"}', async () => {
  for (const [path, method] of [['/nowhere', 'GET'], ['/orders', 'DELETE'], ['/files', 'GET']]) {
    const response = await get(path, { method });
    assert.is(response.status, 404, path);
    assert.equal(await response.json(), { message: 'Not Found' });
  }
});

test('a HEAD request is answered by the GET route, without a body', async () => {
  const response = await get('/orders', { method: 'HEAD' });
  assert.is(response.status, 200);
  assert.is(await response.text(), '');
});

test('a CORS preflight is answered from the API: allowed origin, methods, headers, max age; no function runs', async () => {
  const response = await get('/orders/1', { method: 'OPTIONS', headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  assert.is(response.status, 204);
  assert.is(response.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  assert.is(response.headers.get('access-control-allow-methods'), 'GET,POST');
  assert.is(response.headers.get('access-control-allow-headers'), 'content-type');
  assert.is(response.headers.get('access-control-max-age'), '600');
  const other = await get('/orders/1', { method: 'OPTIONS', headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
  assert.is(other.headers.get('access-control-allow-origin'), null);
});

test('an actual response from an allowed origin carries the CORS headers', async () => {
  const response = await get('/orders/1', { headers: { origin: 'https://shop.example.com' } });
  assert.is(response.headers.get('access-control-allow-origin'), 'https://shop.example.com');
  assert.is(response.headers.get('access-control-expose-headers'), 'x-fn');
});

test('a binary body reaches the function base64-encoded, and a base64 result goes back as bytes', async () => {
  const bytes = Buffer.from([0, 1, 2, 250, 255, 137, 80, 78, 71]);
  const seen = await (await get('/upload/event', { method: 'POST', body: bytes, headers: { 'content-type': 'image/png' } })).json();
  assert.equal(seen, { base64: true, body: bytes.toString('base64') });
  const text = await (await get('/upload/event', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } })).json();
  assert.equal(text, { base64: false, body: '{"a":1}' });
  const echoed = await get('/upload', { method: 'POST', body: bytes, headers: { 'content-type': 'image/png' } });
  assert.is(echoed.status, 201);
  assert.is(echoed.headers.get('content-type'), 'application/octet-stream');
  assert.equal(Buffer.from(await echoed.arrayBuffer()), bytes);
});

test("a proxy result's cookies become Set-Cookie headers", async () => {
  const response = await get('/cookies');
  assert.equal(response.headers.getSetCookie(), ['a=1', 'b=2']);
  assert.is(await response.text(), 'ok');
});

test('a function that throws is 502 {"message":"Internal Server Error"}: the message stays in the log', async () => {
  const response = await get('/fail');
  assert.is(response.status, 502);
  const body = await response.text();
  assert.equal(JSON.parse(body), { message: 'Internal Server Error' });
  assert.not.match(body, 'secret detail');
  assert.match(logs.text(), 'secret detail');
});

test("a function's own 500 passes through as it wrote it", async () => {
  const response = await get('/status500');
  assert.is(response.status, 500);
  assert.equal(await response.json(), { message: 'no such order' });
});

test('a malformed result is 502; a runtime that exits is 502 and the next request gets a new process', async () => {
  const malformed = await get('/malformed');
  assert.is(malformed.status, 502);
  assert.equal(await malformed.json(), { message: 'Internal Server Error' });
  assert.is((await get('/exit')).status, 502);
  assert.is((await get('/exit')).status, 502);
  assert.match(logs.text(), /Runtime\.ExitError/);
});

test('a function past its timeout is 504 {"message":"Endpoint request timed out"}', async () => {
  const started = Date.now();
  const response = await get('/slow');
  assert.is(response.status, 504);
  assert.equal(await response.json(), { message: 'Endpoint request timed out' });
  assert.ok(Date.now() - started < 4000, 'answered at the 1 s timeout, not when the function would have finished');
});

test('a warm process answers sequential requests; two concurrent requests run in two processes', async () => {
  const first = ((await (await get('/pid')).json()) as any).pid;
  const second = ((await (await get('/pid')).json()) as any).pid;
  assert.is(first, second);
  const [a, b] = await Promise.all([get('/pid?ms=300').then((r) => r.json() as any), get('/pid?ms=300').then((r) => r.json() as any)]);
  assert.is.not(a.pid, b.pid);
  assert.ok([a.pid, b.pid].includes(first));
});

test("auth 'iam' without a SigV4 Authorization header is 403; with one the function runs", async () => {
  const denied = await get('/signed', { method: 'POST' });
  assert.is(denied.status, 403);
  assert.equal(await denied.json(), { message: 'Forbidden' });
  const signed = await get('/signed', { method: 'POST', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00' } });
  assert.is(signed.status, 200);
  assert.match(logs.text(), 'NOT verified');
});

test('auth jwt without a bearer token is 401; with one the function gets its (unverified) claims', async () => {
  const denied = await get('/token');
  assert.is(denied.status, 401);
  assert.equal(await denied.json(), { message: 'Unauthorized' });
  const claims = { sub: 'user-1', aud: 'shop' };
  const token = ['{"alg":"none"}', JSON.stringify(claims)].map((part) => Buffer.from(part).toString('base64url')).join('.') + '.sig';
  const allowed = await get('/token', { headers: { authorization: `Bearer ${token}` } });
  assert.is(allowed.status, 200);
  assert.equal(await allowed.json(), { claims });
});

const MiB = 1024 * 1024;
const octets = (bytes: number) => ({ method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.alloc(bytes, 7) });

test("a 4 MiB binary body is delivered: base64 makes its event 5.6 MB, under Lambda's 6 MB payload limit", async () => {
  const response = await get('/size', octets(4 * MiB));
  assert.is(response.status, 200);
  assert.equal(await response.json(), { bytes: 4 * MiB });
});

test('a 5 MiB binary body is 413 Request Entity Too Large: base64 makes its event 7 MB, over the limit; no function runs', async () => {
  const runs = () => logs.text().split('the size function ran').length - 1;
  const before = runs();
  const response = await get('/size', octets(5 * MiB));
  assert.is(response.status, 413);
  assert.equal(await response.json(), { message: 'Request Entity Too Large' });
  assert.is(runs(), before);
  assert.ok(logs.text().split('\n').some((line) => line.startsWith('POST /size 413 ')));
});

test('a text body over 6 MB is 413', async () => {
  const response = await get('/size', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(6.5 * MiB) });
  assert.is(response.status, 413);
});

test('a function runs as under sparta invoke: its deployed name, memory size and timeout', async () => {
  const env = (await (await get('/env')).json()) as any;
  assert.is(env.name, 'shop-Orders-env');
  assert.is(env.memory, '256');
  assert.is(String(env.contextMemory), '256');
  assert.ok(env.remaining > 5000 && env.remaining <= 7000, `remaining ${env.remaining} ms of a 7 s timeout`);
  assert.type(env.region, 'string');
});

test("each function's discovery document points at this server: api.url, type and stage", async () => {
  const document = (await (await get('/discovery')).json()) as any;
  assert.equal(document.api, { url: handle.url, type: 'http', stage: '$default' });
  assert.is(document.websocket, undefined);
  assert.is(document.logicalId.startsWith('OrdersDiscovery'), true);
});

test('each request is logged in one line on stderr: method, path, status, ms, function', async () => {
  await get('/orders');
  assert.match(logs.text(), /^GET \/orders 200 \d+ms Orders\.list$/m);
  assert.match(logs.text(), /^GET \/nowhere 404 \d+ms -$/m);
});

test.run();
