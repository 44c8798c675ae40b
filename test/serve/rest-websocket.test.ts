import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { serve, type ServeHandle } from '../../cli/serve';
import { tempDir } from '../runtime/support';
import { setup } from '../helpers/setup';
import { collector, servedBuild, waitFor } from './support';

// `sparta serve` on a REST API (payload 1.0 under the stage's path) and on a
// WebSocket API (a real client; the management endpoint reaching it).

const CHAT = `
  const doc = JSON.parse(process.env.SPARTA_DISCOVERY);
  const { routeKey, connectionId, eventType, messageId } = event.requestContext;
  globalThis.connects ??= {};
  if (routeKey === '$connect') {
    if (event.queryStringParameters?.deny) return { statusCode: 403 };
    globalThis.connects[connectionId] = { query: event.queryStringParameters, agent: event.headers['User-Agent'] ?? event.headers['user-agent'] };
    return { statusCode: 200 };
  }
  const reply = { routeKey, eventType, hasMessageId: typeof messageId === 'string', body: event.body, connect: globalThis.connects[connectionId], endpoint: doc.websocket };
  const answer = await fetch(doc.websocket.managementEndpoint + '/@connections/' + encodeURIComponent(connectionId), { method: 'POST', body: JSON.stringify(reply) });
  if (answer.status !== 200) throw new Error('management answered ' + answer.status);
  return { statusCode: 200 };`;

let rest: ServeHandle;
let chat: ServeHandle;
let dir: string;
const logs = collector();

setup(test, async () => {
  dir = tempDir('serve-ws');
  const restBuild = servedBuild(
    'legacy',
    [
      { id: 'Legacy.get', code: `return { statusCode: 200, multiValueHeaders: { 'x-many': ['1', '2'] }, body: JSON.stringify(event) };`, http: [{ method: 'GET', path: '/items/{id}' }] },
      { id: 'Legacy.fail', code: `throw new Error('hidden');`, http: [{ method: 'GET', path: '/fail' }] },
      { id: 'Legacy.plain', code: `return { ok: true };`, http: [{ method: 'GET', path: '/plain' }] },
      { id: 'Legacy.upload', code: `return { statusCode: 200, body: JSON.stringify({ base64: event.isBase64Encoded, body: event.body }) };`, http: [{ method: 'POST', path: '/upload' }] },
    ],
    { type: 'rest', stage: 'v1', binaryMediaTypes: ['image/*'] },
  );
  rest = await serve({ host: '127.0.0.1', port: 0, build: async () => restBuild, logs });
  const chatBuild = servedBuild('chat', [
    { id: 'Chat.talk', code: CHAT, websocket: ['$connect', 'say', '$default'] },
    {
      id: 'Chat.leave',
      // One file a connection: an earlier test's client may disconnect while a later test waits for its own.
      code: `const fs = require('fs'); fs.mkdirSync(process.env.MARKS, { recursive: true }); fs.writeFileSync(require('path').join(process.env.MARKS, encodeURIComponent(event.requestContext.connectionId) + '.json'), JSON.stringify(event.requestContext)); return { statusCode: 200 };`,
      websocket: ['$disconnect'],
      options: { environment: { MARKS: path.join(dir, 'disconnected') } },
    },
  ]);
  chat = await serve({ host: '127.0.0.1', port: 0, build: async () => chatBuild, logs });
});

test.after(async () => {
  await rest?.close();
  await chat?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('a REST API is served under its stage, with payload 1.0: resource, multiValue fields, stage in requestContext', async () => {
  assert.match(rest.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  const response = await fetch(`${rest.url}/items/42?tag=a&tag=b`, { headers: { 'X-Trace': 'abc' } });
  assert.is(response.status, 200);
  assert.is(response.headers.get('x-many'), '1, 2');
  const event = (await response.json()) as any;
  assert.is(event.resource, '/items/{id}');
  assert.is(event.path, '/items/42');
  assert.is(event.httpMethod, 'GET');
  assert.is(event.headers['X-Trace'], 'abc');
  assert.equal(event.multiValueHeaders['X-Trace'], ['abc']);
  assert.equal(event.queryStringParameters, { tag: 'b' });
  assert.equal(event.multiValueQueryStringParameters, { tag: ['a', 'b'] });
  assert.equal(event.pathParameters, { id: '42' });
  assert.is(event.stageVariables, null);
  assert.is(event.requestContext.stage, 'v1');
  assert.is(event.requestContext.path, '/v1/items/42');
  assert.is(event.requestContext.resourcePath, '/items/{id}');
  assert.is(event.body, null);
  assert.is(event.isBase64Encoded, false);
  const outside = await fetch(rest.url.replace(/\/v1$/, '/items/42'));
  assert.is(outside.status, 404);
});

test('on a REST API a body of a binaryMediaTypes type arrives base64-encoded; any other type as text, even binary-looking', async () => {
  const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
  const image = (await (await fetch(`${rest.url}/upload`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: bytes })).json()) as any;
  assert.equal(image, { base64: true, body: bytes.toString('base64') });
  const octets = (await (await fetch(`${rest.url}/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('abc') })).json()) as any;
  assert.equal(octets, { base64: false, body: 'abc' });
});

test('on a REST API a thrown error is 502 {"message":"Internal server error"}, and a value that is no proxy result too', async () => {
  for (const route of ['/fail', '/plain']) {
    const response = await fetch(`${rest.url}${route}`);
    assert.is(response.status, 502, route);
    assert.equal(await response.json(), { message: 'Internal server error' });
  }
});

function open(url: string): Promise<{ socket: WebSocket; messages: unknown[]; next(): Promise<any> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { 'User-Agent': 'serve-test' } });
    const messages: unknown[] = [];
    const waiters: Array<(value: unknown) => void> = [];
    socket.on('message', (data) => {
      const value = JSON.parse(data.toString());
      const waiter = waiters.shift();
      if (waiter) waiter(value);
      else messages.push(value);
    });
    const next = () => (messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise((r) => waiters.push(r)));
    socket.once('open', () => resolve({ socket, messages, next }));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

test('$connect gets the query string and headers; a message goes to the route its action names, through the management endpoint back to the client', async () => {
  const wsUrl = chat.origin.replace(/^http/, 'ws');
  const client = await open(`${wsUrl}/?room=blue`);
  client.socket.send(JSON.stringify({ action: 'say', text: 'hi' }));
  const reply = await client.next();
  assert.is(reply.routeKey, 'say');
  assert.is(reply.eventType, 'MESSAGE');
  assert.is(reply.hasMessageId, true);
  assert.is(reply.body, JSON.stringify({ action: 'say', text: 'hi' }));
  assert.equal(reply.connect, { query: { room: 'blue' }, agent: 'serve-test' });
  assert.equal(reply.endpoint, { url: wsUrl, managementEndpoint: chat.origin });
  client.socket.send('not json at all');
  const fallback = await client.next();
  assert.is(fallback.routeKey, '$default');
  assert.is(fallback.body, 'not json at all');
  client.socket.close();
});

test('a $connect answering 403 refuses the handshake', async () => {
  try {
    await open(`${chat.origin.replace(/^http/, 'ws')}/?deny=1`);
    assert.unreachable('the connection was accepted');
  } catch (error) {
    assert.match((error as Error).message, 'refused with 403');
  }
});

test('the management endpoint: GET describes a connection, DELETE closes it ($disconnect runs), then POST is 410 GoneException', async () => {
  const client = await open(chat.origin.replace(/^http/, 'ws'));
  client.socket.send(JSON.stringify({ action: 'say' }));
  const reply = await client.next();
  assert.is(reply.routeKey, 'say');
  const closed = new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code)));
  const connectionId = await idOf(client);
  const mark = path.join(dir, 'disconnected', `${encodeURIComponent(connectionId)}.json`);
  const info = (await (await fetch(`${chat.origin}/@connections/${encodeURIComponent(connectionId)}`)).json()) as any;
  assert.equal(info.Identity, { SourceIp: '127.0.0.1', UserAgent: 'serve-test' });
  assert.match(info.ConnectedAt, /^\d{4}-\d\d-\d\dT/);
  const deleted = await fetch(`${chat.origin}/@connections/${encodeURIComponent(connectionId)}`, { method: 'DELETE' });
  assert.is(deleted.status, 204);
  assert.is(await closed, 1000);
  await waitFor(() => fs.existsSync(mark), '$disconnect');
  const context = JSON.parse(fs.readFileSync(mark, 'utf8'));
  assert.is(context.routeKey, '$disconnect');
  assert.is(context.eventType, 'DISCONNECT');
  assert.is(context.connectionId, connectionId);
  const gone = await fetch(`${chat.origin}/@connections/${encodeURIComponent(connectionId)}`, { method: 'POST', body: 'late' });
  assert.is(gone.status, 410);
  assert.is(gone.headers.get('x-amzn-errortype'), 'GoneException');
});

/** The server's id for a client: the connection whose remote port is the client's own. */
async function idOf(client: { socket: WebSocket }): Promise<string> {
  const gateway = (chat.server as any).gateway as { connections: Map<string, { socket: { _socket?: unknown } }> };
  const localPort = (client.socket as any)._socket.localPort as number;
  for (const [id, connection] of gateway.connections) {
    if (((connection.socket as any)._socket?.remotePort as number) === localPort) return id;
  }
  throw new Error('no connection for this client');
}

test.run();
