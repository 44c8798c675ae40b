import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spartaFailure } from '../helpers/errors';
import { templateKey, templateUrl } from '../../cli/converge/artifacts';
import { createAws, resolveEndpoint } from '../../cli/converge/clients';
import { roleNameFromArn } from '../../cli/converge/roles';
import { lookupStack } from '../../cli/converge/stack';
import { waitFor } from '../../cli/converge/wait';
import { confirmOnTerminal, parseTimeout, withInterrupt } from '../../cli/commands/aws';
import { PassThrough } from 'node:stream';
import { ErrorCode, SpartaError } from '../../cli/errors';

// The SDK warns about Node 20 on every first client; the tests know.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const test = suite('converge building blocks');


/** A server that answers every request with one canned response. */
async function cannedServer(status: number, contentType: string, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };

test('the template URL is the S3 path-style URL CloudFormation reads, per region', () => {
  assert.is(templateUrl('b', 'svc/template-1.json', 'us-east-1'), 'https://s3.amazonaws.com/b/svc/template-1.json');
  assert.is(templateUrl('b', 'svc/template-1.json', 'eu-west-1'), 'https://s3.eu-west-1.amazonaws.com/b/svc/template-1.json');
  assert.is(templateUrl('b', 'svc/t.json', 'cn-north-1'), 'https://s3.cn-north-1.amazonaws.com.cn/b/svc/t.json');
});

test('the template key lives under the service prefix and changes with the content', () => {
  const a = templateKey('svc', '{"a":1}');
  assert.match(a, /^svc\/template-[0-9a-f]{16}\.json$/);
  assert.is(templateKey('svc', '{"a":1}'), a);
  assert.is.not(templateKey('svc', '{"a":2}'), a);
});

test('role names come from the last segment of the ARN, paths included', () => {
  assert.is(roleNameFromArn('arn:aws:iam::123456789012:role/app'), 'app');
  assert.is(roleNameFromArn('arn:aws:iam::123456789012:role/service-role/team/app-role'), 'app-role');
  try {
    roleNameFromArn('arn:aws:iam::123456789012:user/bob');
    assert.unreachable();
  } catch (error) {
    assert.is((error as SpartaError).code, ErrorCode.ROLE_ARN_INVALID);
  }
});

test('--timeout takes seconds, minutes or hours; a bare number is minutes', () => {
  assert.is(parseTimeout('90s'), 90_000);
  assert.is(parseTimeout('20m'), 1_200_000);
  assert.is(parseTimeout('1h'), 3_600_000);
  assert.is(parseTimeout('5'), 300_000);
  assert.throws(() => parseTimeout('soon'));
  assert.throws(() => parseTimeout('0'));
});

test('the endpoint comes from the flag, else AWS_ENDPOINT_URL; bad URLs are refused', () => {
  assert.is(resolveEndpoint('http://127.0.0.1:5000/', {}), 'http://127.0.0.1:5000');
  assert.is(resolveEndpoint(undefined, { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }), 'http://127.0.0.1:4566');
  assert.is(resolveEndpoint('http://a:1', { AWS_ENDPOINT_URL: 'http://b:2' }), 'http://a:1');
  assert.is(resolveEndpoint(undefined, {}), undefined);
  assert.throws(() => resolveEndpoint('127.0.0.1:5000', {}), (error: SpartaError) => error.code === ErrorCode.ENDPOINT_INVALID);
});

test('an endpoint makes S3 use path-style addressing', async () => {
  const { sdk } = createAws({ endpointUrl: 'http://127.0.0.1:1', region: 'us-east-1', credentials });
  assert.is(sdk.s3.config.forcePathStyle, true);
});

test('waitFor polls until a value, and times out against the injected clock', async () => {
  let calls = 0;
  assert.is(await waitFor(async () => (++calls === 3 ? 'done' : undefined), { intervalMs: 1, deadline: Date.now() + 1000, what: 'x' }), 'done');
  assert.is(calls, 3);
  let clock = 0;
  const error = await spartaFailure(() =>
    waitFor(async () => ((clock += 100), undefined), { intervalMs: 1, deadline: 250, what: 'the stack', now: () => clock, hint: 'follow it' }),
  );
  assert.is(error.code, ErrorCode.WAIT_TIMEOUT);
  assert.is(error.hint, 'follow it');
});

test('an aborted signal interrupts waiting', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  const error = await spartaFailure(() => waitFor(async () => undefined, { intervalMs: 5, deadline: Date.now() + 5000, what: 'the stack', signal: controller.signal }));
  assert.is(error.code, ErrorCode.INTERRUPTED);
});

test('an HTML 500 page becomes a readable error naming the endpoint', async () => {
  const { url, server } = await cannedServer(500, 'text/html', '<html><head><title>500 Internal Server Error</title></head><body>boom</body></html>');
  try {
    const { apis } = createAws({ endpointUrl: url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const error = await spartaFailure(() => lookupStack(apis.cloudFormation, 'svc'));
    assert.is(error.code, ErrorCode.AWS_RESPONSE_UNREADABLE);
    assert.match(error.message, url);
    assert.match(error.message, 'HTTP 500');
  } finally {
    server.close();
  }
});

test('a JSON body on an XML API (the SDK\'s "XML parse error") becomes a readable error with the body\'s message', async () => {
  const { url, server } = await cannedServer(400, 'application/json', '{"message":"this endpoint speaks JSON"}');
  try {
    const { apis } = createAws({ endpointUrl: url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const error = await spartaFailure(() => lookupStack(apis.cloudFormation, 'svc'));
    assert.is(error.code, ErrorCode.AWS_RESPONSE_UNREADABLE);
    assert.match(error.message, 'this endpoint speaks JSON');
    assert.not.match(error.message, 'XML parse error');
  } finally {
    server.close();
  }
});

test('a server that accepts but never answers times out as unreachable instead of hanging', async () => {
  const { createServer: createTcpServer } = await import('node:net');
  const sockets: import('node:net').Socket[] = [];
  const server = createTcpServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { apis } = createAws({ endpointUrl: url, region: 'us-east-1', credentials, maxAttempts: 1, requestTimeoutMs: 200 });
    const error = await spartaFailure(() => lookupStack(apis.cloudFormation, 'svc'));
    assert.is(error.code, ErrorCode.ENDPOINT_UNREACHABLE);
  } finally {
    for (const socket of sockets) socket.destroy();
    server.close();
  }
});

test('no region anywhere is a flag error, not a stack trace', async () => {
  const saved = { region: process.env.AWS_REGION, defaultRegion: process.env.AWS_DEFAULT_REGION, config: process.env.AWS_CONFIG_FILE };
  process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  try {
    const { apis } = createAws({ endpointUrl: 'http://127.0.0.1:1', credentials, maxAttempts: 1 });
    const error = await spartaFailure(() => lookupStack(apis.cloudFormation, 'svc'));
    assert.is(error.code, ErrorCode.REGION_MISSING);
  } finally {
    for (const [key, value] of [['AWS_REGION', saved.region], ['AWS_DEFAULT_REGION', saved.defaultRegion], ['AWS_CONFIG_FILE', saved.config]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('the first Ctrl-C aborts the signal; the handler is gone afterwards', async () => {
  const listeners = process.listenerCount('SIGINT');
  const aborted = await withInterrupt(async (signal) => {
    process.emit('SIGINT');
    return signal.aborted;
  });
  assert.is(aborted, true);
  assert.is(process.listenerCount('SIGINT'), listeners);
});

test('confirmation: y or yes agrees, anything else declines', async () => {
  for (const [answer, expected] of [['y', true], ['YES', true], ['n', false], ['', false], ['sure', false]] as const) {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const asked = confirmOnTerminal(input, output, 'go?');
    input.write(`${answer}\n`);
    assert.is(await asked, expected, `answer ${JSON.stringify(answer)}`);
  }
});

test.run();
