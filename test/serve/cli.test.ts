import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import { writeProject } from '../helpers/handmade';
import { CLI_BIN } from '../helpers/paths';
import { setup } from '../helpers/setup';
import { alive, waitFor } from './support';

// `sparta serve` as a user runs it: a project with real decorators (a REST
// API with CORS, a WebSocket API), built by the real transformer and bundler,
// the CLI started as a child process on a free port, real HTTP requests and a
// real WebSocket against it, and Ctrl-C (SIGINT) at the end.

const ORIGIN = 'https://shop.example.com';
const root = writeProject({
  'src/shop.ts': `import { Service, Api, Http, WebSocket, Lambda, HttpError, sendToConnection, discover } from 'sparta';
import type { APIGatewayProxyEvent, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

@Service({ name: 'served' })
@Api({ type: 'rest', cors: { origins: ['${ORIGIN}'], methods: ['GET', 'POST'], headers: ['content-type'], exposedHeaders: ['x-order'] } })
export class Orders {
  @Lambda()
  @Http('GET /orders/{id}')
  async get(event: APIGatewayProxyEvent) {
    const id = event.pathParameters!.id!;
    if (id === 'missing') throw new HttpError(404, 'no such order');
    if (id === 'broken') throw new Error('database password is hunter2');
    return { id, sort: event.queryStringParameters?.sort ?? null, pid: process.pid, api: discover().api };
  }
}

@Service({ name: 'served' })
export class Chat {
  @Lambda() @WebSocket('$connect') async connect(event: APIGatewayProxyWebsocketEventV2) { return { statusCode: 200 }; }

  @Lambda() @WebSocket('echo')
  async echo(event: APIGatewayProxyWebsocketEventV2) {
    const { text } = JSON.parse(event.body ?? '{}');
    await sendToConnection(event.requestContext.connectionId, { echo: text, pid: process.pid, websocket: discover().websocket });
    return { statusCode: 200 };
  }
}
`,
});

let child: ChildProcess;
let exited: Promise<number | null>;
let url: string;
let stderr = '';

setup(test, async () => {
  child = spawn(process.execPath, [CLI_BIN, 'serve', '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_REGION: 'us-east-1' },
  });
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const ended = exited.then((code) => {
    throw new Error(`sparta serve exited (${code}) before printing its URL:\n${stderr}`);
  });
  await Promise.race([waitFor(() => stdout.includes('\n'), 'the URL on stdout', 180_000), ended]);
  url = stdout.trim();
});

test.after(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

test('stdout is the REST API URL, under its stage on the port the server got', () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  assert.is.not(new URL(url).port, '0');
});

test('a route gets its path parameter and query string; a plain value is 200 JSON; discover().api is this server', async () => {
  const response = await fetch(`${url}/orders/42?sort=asc`);
  assert.is(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', 'application/json');
  const body = (await response.json()) as { id: string; sort: string; api: { url: string; type: string; stage: string } };
  assert.is(body.id, '42');
  assert.is(body.sort, 'asc');
  assert.equal({ url: body.api.url, type: body.api.type, stage: body.api.stage }, { url, type: 'rest', stage: 'v1' });
});

test('an HttpError is answered with its status and message', async () => {
  const response = await fetch(`${url}/orders/missing`);
  assert.is(response.status, 404);
  assert.equal(await response.json(), { message: 'no such order' });
});

test("any other error is a 500 that does not tell the caller its message; serve's stderr (the function's log) has it", async () => {
  const response = await fetch(`${url}/orders/broken`);
  assert.is(response.status, 500);
  const text = await response.text();
  assert.equal(JSON.parse(text), { message: 'Internal Server Error' });
  assert.not.match(text, 'hunter2');
  await waitFor(() => stderr.includes('hunter2'), 'the error in the log');
});

test('a REST response to an allowed origin carries the CORS headers an HTTP API would add', async () => {
  const response = await fetch(`${url}/orders/7`, { headers: { Origin: ORIGIN } });
  assert.is(response.status, 200);
  assert.is(response.headers.get('access-control-allow-origin'), ORIGIN);
  assert.is(response.headers.get('access-control-expose-headers'), 'x-order');
  assert.is(response.headers.get('vary'), 'Origin');
});

test('a REST response to another origin has no Access-Control-Allow-Origin', async () => {
  const response = await fetch(`${url}/orders/7`, { headers: { Origin: 'https://elsewhere.example.com' } });
  assert.is(response.status, 200);
  assert.is(response.headers.get('access-control-allow-origin'), null);
});

test('a CORS preflight is answered from @Api({ cors })', async () => {
  const response = await fetch(`${url}/orders/7`, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } });
  assert.is(response.status, 204);
  assert.is(response.headers.get('access-control-allow-origin'), ORIGIN);
  assert.is(response.headers.get('access-control-allow-methods'), 'GET,POST');
  assert.is(response.headers.get('access-control-allow-headers'), 'content-type');
});

test('an unknown route is 404', async () => {
  const response = await fetch(`${url}/nothing/here`);
  assert.is(response.status, 404);
});

let echoPid: number;

test('a WebSocket message reaches its route, and sendToConnection answers it through discover().websocket (this server)', async () => {
  const origin = new URL(url).origin;
  const socket = new WebSocket(origin.replace(/^http/, 'ws'));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const reply = new Promise<string>((resolve) => socket.once('message', (data) => resolve(String(data))));
    socket.send(JSON.stringify({ action: 'echo', text: 'hello' }));
    const answer = JSON.parse(await reply) as { echo: string; pid: number; websocket: { url: string; managementEndpoint: string } };
    assert.is(answer.echo, 'hello');
    assert.equal(answer.websocket, { url: origin.replace(/^http/, 'ws'), managementEndpoint: origin });
    echoPid = answer.pid;
  } finally {
    socket.close();
  }
});

/** Every process below `pid`, from /proc: the function sandboxes and whatever they started. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the command (in parentheses, which may hold spaces): state, ppid.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const next of parents.get(parent) ?? []) {
      found.push(next);
      visit(next);
    }
  };
  visit(pid);
  return found;
}

test('Ctrl-C (SIGINT) stops the server and every process it started, and the CLI exits 0', async () => {
  const { pid: getPid } = (await (await fetch(`${url}/orders/1`)).json()) as { pid: number };
  const started = descendants(child.pid!);
  // The three functions' warm sandboxes at least: every routed function is warmed at start.
  assert.ok(started.length >= 3, `processes under serve: ${started.join(', ')}`);
  assert.ok(started.includes(getPid) && started.includes(echoPid), 'the functions that answered run under serve');
  child.kill('SIGINT');
  assert.is(await exited, 0, stderr);
  await waitFor(() => !started.some(alive), 'every process serve started to be gone', 5000);
  const refused = await fetch(url).then(
    () => false,
    () => true,
  );
  assert.ok(refused, 'the server is closed');
});

test.run();
