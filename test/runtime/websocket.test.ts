// sendToConnection against a real HTTP server standing in for the API's
// management endpoint: the request the SDK signs and sends, and the 410
// API Gateway answers for a closed connection.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DISCOVERY_ENV } from '../../manifest/discovery';
import { ConnectionGoneError, sendToConnection } from '../../runtime';

const test = suite('runtime: sendToConnection');

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

let server: http.Server;
let seen: Seen[] = [];
let status = 200;
// Restored in place, never by replacing process.env: clipanion (and anything else) holds the original object.
const saved = { ...process.env };

test.before(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(status, { 'content-type': 'application/json', ...(status === 410 ? { 'x-amzn-errortype': 'GoneException' } : {}) });
      response.end(status === 410 ? '{"message":null}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    [DISCOVERY_ENV]: JSON.stringify({
      stackName: 'shop',
      stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/shop/x',
      region: 'us-east-1',
      logicalId: 'ChatSay',
      websocket: { url: `ws://127.0.0.1:${port}/v1`, managementEndpoint: `http://127.0.0.1:${port}/v1` },
      resources: {},
    }),
  });
});

test.after(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test.before.each(() => {
  seen = [];
  status = 200;
});

test('an object is posted as JSON to /@connections/<id> under the stage, signed for execute-api', async () => {
  await sendToConnection('bD7gXcbVIAMCJkw=', { echo: 'hi' });
  assert.is(seen.length, 1);
  assert.is(seen[0].method, 'POST');
  assert.is(decodeURIComponent(seen[0].url), '/v1/@connections/bD7gXcbVIAMCJkw=');
  assert.is(seen[0].body.toString('utf8'), '{"echo":"hi"}');
  const authorization = String(seen[0].headers.authorization);
  assert.match(authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/);
});

test('a string and a Buffer are sent as they are', async () => {
  await sendToConnection('c1', 'plain "text"');
  await sendToConnection('c2', Buffer.from([0, 1, 255]));
  assert.is(seen[0].body.toString('utf8'), 'plain "text"');
  assert.equal([...seen[1].body], [0, 1, 255]);
});

test('a gone connection (410 GoneException) is a ConnectionGoneError naming it', async () => {
  status = 410;
  try {
    await sendToConnection('gone1', 'x');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, ConnectionGoneError);
    assert.is((error as ConnectionGoneError).connectionId, 'gone1');
    assert.is((error as ConnectionGoneError).statusCode, 410);
    assert.match((error as Error).message, 'gone1');
  }
});

test('another failure is passed on as the SDK reports it', async () => {
  status = 403;
  try {
    await sendToConnection('c3', 'x');
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.not.instance(error, ConnectionGoneError);
    assert.is((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 403);
  }
});

test.run();
