import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ScheduledEvent, SNSEvent } from 'aws-lambda';
import { DISCOVERY_ENV } from '../../manifest/environment';
import type { DiscoveryDocument } from '../../manifest/discovery';
import { sampleEvent } from '../../cli/events';
import { invokeArchive, type InvokeArchiveOptions, type InvokeOutcome } from '../../cli/invoke';
import { readEvent } from '../../cli/invoke/input';
import { EXAMPLES, FIXTURES } from '../helpers/paths';
import { bundleFunction, collector, tempDir, zipFiles } from './support';
import { setup } from '../helpers/setup';

const HELLO = path.join(EXAMPLES, 'hello', 'src', 'hello.ts');
const PROBE = path.join(FIXTURES, 'invoke-probe', 'src', 'probe.ts');

const archives: Record<string, string> = {};
let dir: string;

setup(test, async () => {
  dir = tempDir('invoke');
  const functions: Array<[string, string, string]> = [
    [HELLO, 'Hello', 'hello'],
    [HELLO, 'Hello', 'tick'],
    [HELLO, 'Hello', 'onAlert'],
    [PROBE, 'Probe', 'context'],
    [PROBE, 'Probe', 'hang'],
    [PROBE, 'Probe', 'fail'],
    [PROBE, 'Probe', 'chatter'],
    [PROBE, 'Probe', 'echoSize'],
    [PROBE, 'Probe', 'buffers'],
    [PROBE, 'Probe', 'heap'],
  ];
  await Promise.all(
    functions.map(async ([file, className, method]) => {
      const code = await bundleFunction(file, className, method);
      archives[`${className}.${method}`] = zipFiles(dir, `${className}.${method}.zip`, { 'index.js': code });
    }),
  );
});

// Setup may have failed before making the folder.
test.after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function invoke(functionId: string, options: Partial<InvokeArchiveOptions> = {}): Promise<{ outcome: InvokeOutcome; logs: string }> {
  const logs = collector();
  const outcome = await invokeArchive({
    archive: archives[functionId],
    handler: 'index.handler',
    event: {},
    timeoutSeconds: 3,
    memorySize: 128,
    functionName: `test-${functionId.replace('.', '-')}`,
    logs,
    ...options,
  });
  return { outcome, logs: logs.text() };
}

function succeeded(outcome: InvokeOutcome): unknown {
  if (outcome.status !== 'succeeded') throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome.result;
}

/** The sparta logger's JSON lines among the logs. */
const entries = (logs: string) =>
  logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

const DISCOVERY: DiscoveryDocument = {
  stackName: 'hello-sparta',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/hello-sparta/5f0c8a70-5f7e-11ef-9a2b-0a1b2c3d4e5f',
  region: 'us-east-1',
  logicalId: 'HelloTick0a1b2c3d',
  resources: { AlertsTopic: { type: 'AWS::SNS::Topic', ref: 'arn:aws:sns:us-east-1:123456789012:hello-sparta-AlertsTopic-X1', attributes: {} } },
};

test('a sync function (Hello.hello) returns its value with its environment and a request ID', async () => {
  const { outcome, logs } = await invoke('Hello.hello', { env: { GREETING_NAME: 'Sparta' }, requestId: 'req-hello' });
  assert.equal(succeeded(outcome), { message: 'Hello, Sparta', requestId: 'req-hello', invocations: 1 });
  assert.match(logs, /^START RequestId: req-hello Version: \$LATEST$/m);
  assert.match(logs, /^END RequestId: req-hello$/m);
  assert.match(logs, /^REPORT RequestId: req-hello\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/m);
});

test('an async function (Hello.tick) gets a schedule event and reads discovery, logging with the request', async () => {
  const event = sampleEvent('schedule') as ScheduledEvent;
  const { outcome, logs } = await invoke('Hello.tick', { event, env: { [DISCOVERY_ENV]: JSON.stringify(DISCOVERY) }, requestId: 'req-tick' });
  assert.equal(succeeded(outcome), { published: false, topic: DISCOVERY.resources.AlertsTopic.ref, time: event.time });
  const [heartbeat] = entries(logs).filter((entry) => entry.message === 'heartbeat');
  assert.is(heartbeat.requestId, 'req-tick');
  assert.is(heartbeat.functionName, 'test-Hello-tick');
  assert.is(heartbeat.topic, DISCOVERY.resources.AlertsTopic.ref);
});

test('an async function (Hello.onAlert) gets an SNS event', async () => {
  const event = sampleEvent('sns', { subject: 'Disk full' }) as SNSEvent;
  const { outcome, logs } = await invoke('Hello.onAlert', { event });
  assert.equal(succeeded(outcome), { received: 1 });
  assert.equal(entries(logs).find((entry) => entry.message === 'alerts received')?.subjects, ['Disk full']);
});

test('the context carries request ID, function name, memory and the remaining time', async () => {
  const { outcome } = await invoke('Probe.context', {
    event: { hello: 'there' },
    requestId: 'req-ctx',
    memorySize: 512,
    timeoutSeconds: 5,
    functionName: 'probe-Probe-context',
    env: { EXTRA: 'yes' },
  });
  const result = succeeded(outcome) as Record<string, any>;
  assert.equal(result.event, { hello: 'there' });
  assert.is(result.requestId, 'req-ctx');
  assert.is(result.functionName, 'probe-Probe-context');
  assert.is(result.memoryLimitInMB, '512');
  assert.ok(result.remainingMs > 0 && result.remainingMs <= 5000, `remaining ${result.remainingMs}`);
  assert.is(result.env.LAMBDA_TASK_ROOT, result.cwd);
  assert.is(result.env.AWS_LAMBDA_FUNCTION_NAME, 'probe-Probe-context');
  assert.is(result.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '512');
  assert.is(result.env.EXTRA, 'yes');
});

test('the unpacked task root is removed after the invocation', async () => {
  const { outcome } = await invoke('Probe.context');
  const result = succeeded(outcome) as { cwd: string };
  assert.is(fs.existsSync(result.cwd), false);
});

test('a function running past its timeout is killed and reported as timed out', async () => {
  const started = Date.now();
  const { outcome, logs } = await invoke('Probe.hang', { timeoutSeconds: 0.5, requestId: 'req-hang' });
  assert.is(outcome.status, 'timed-out');
  if (outcome.status !== 'timed-out') return;
  assert.is(outcome.phase, 'invoke');
  assert.match(outcome.error.errorMessage, 'Task timed out after 0.50 seconds');
  assert.ok(outcome.durationMs >= 500);
  assert.ok(Date.now() - started < 2500, 'killed promptly');
  assert.ok(entries(logs).some((entry) => entry.message === 'hanging'));
  assert.match(logs, /Status: timeout/);
});

test('a thrown error fails the invocation with its type, message and trace, and is logged once', async () => {
  const { outcome, logs } = await invoke('Probe.fail', { event: { message: 'no luck' }, requestId: 'req-fail' });
  assert.is(outcome.status, 'failed');
  if (outcome.status !== 'failed') return;
  assert.is(outcome.error.errorType, 'Error');
  assert.is(outcome.error.errorMessage, 'no luck');
  assert.ok(outcome.error.trace?.[0].includes('no luck'));
  // Once, by the runtime, as Lambda does: one line with the request ID and the payload (its trace included).
  const mentions = logs.split('\n').filter((line) => line.includes('no luck'));
  assert.is(mentions.length, 1, logs);
  assert.match(mentions[0], /^\S+\treq-fail\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"no luck","trace":\[/);
});

test('200,000 console.log lines all reach the logs, in order, before END', async () => {
  const { outcome, logs } = await invoke('Probe.chatter', { event: { lines: 200_000 }, timeoutSeconds: 60, memorySize: 512 });
  assert.equal(succeeded(outcome), { logged: 200_000 });
  const numbers = logs
    .split('\n')
    .filter((line) => /\tINFO\tline \d+$/.test(line))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
  assert.is(numbers.length, 200_000);
  assert.ok(
    numbers.every((n, i) => n === i),
    'in order',
  );
  assert.ok(logs.indexOf('line 199999') < logs.indexOf('END RequestId'), 'before END');
});

// Lambda's synchronous payload limit: 6,291,556 bytes. A string of n characters is n + 2 bytes of JSON.
const PAYLOAD_LIMIT = 6_291_556;

test('a result of exactly 6,291,556 bytes of JSON is returned', async () => {
  const { outcome } = await invoke('Probe.echoSize', { event: { bytes: PAYLOAD_LIMIT - 2 } });
  assert.is((succeeded(outcome) as string).length, PAYLOAD_LIMIT - 2);
});

test('a result one byte over the limit fails with Function.ResponseSizeTooLarge, as Lambda words it', async () => {
  const { outcome } = await invoke('Probe.echoSize', { event: { bytes: PAYLOAD_LIMIT - 1 } });
  assert.is(outcome.status, 'failed');
  assert.equal(outcome.status === 'failed' && outcome.error, {
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
  });
});

test('an event over the limit is refused before the function runs (SPARTA505)', async () => {
  const logs = collector();
  try {
    await invokeArchive({
      archive: archives['Probe.context'],
      handler: 'index.handler',
      event: { data: 'x'.repeat(PAYLOAD_LIMIT) },
      timeoutSeconds: 3,
      memorySize: 128,
      functionName: 'too-big',
      logs,
    });
    assert.unreachable('should refuse the event');
  } catch (error) {
    assert.is((error as { code: string }).code, 'SPARTA505');
  }
  assert.is(logs.text(), '', 'nothing ran');
});

test('memory outside the V8 heap (Buffers) past memorySize stops the function as Runtime.OutOfMemory', async () => {
  const { outcome, logs } = await invoke('Probe.buffers', { event: { mb: 200 }, memorySize: 128, timeoutSeconds: 10, requestId: 'req-oom' });
  assert.is(outcome.status, 'out-of-memory');
  assert.is(outcome.status === 'out-of-memory' && outcome.error.errorType, 'Runtime.OutOfMemory');
  assert.match(logs, /^RequestId: req-oom Error: Runtime exited with error: signal: killed$/m);
  assert.match(logs, /Memory Size: 128 MB\tMax Memory Used: \d+ MB.*\tStatus: error\tError Type: Runtime.OutOfMemory$/m);
});

test('the same Buffers within memorySize succeed', async () => {
  const { outcome } = await invoke('Probe.buffers', { event: { mb: 100 }, memorySize: 512, timeoutSeconds: 10 });
  assert.equal(succeeded(outcome), { held: 100 });
});

test('a V8 heap blow-up ends as one clean Runtime.OutOfMemory line, without V8\'s report', async () => {
  // A heap limit of the function's own (NODE_OPTIONS) far below its memory, so the heap runs out first.
  const { outcome, logs } = await invoke('Probe.heap', {
    memorySize: 512,
    timeoutSeconds: 30,
    env: { NODE_OPTIONS: '--max-old-space-size=32' },
    requestId: 'req-heap',
  });
  assert.is(outcome.status, 'out-of-memory');
  assert.is(outcome.status === 'out-of-memory' && outcome.error.errorType, 'Runtime.OutOfMemory');
  const between = logs.slice(logs.indexOf('START RequestId'), logs.indexOf('END RequestId')).trim().split('\n');
  assert.equal(between.slice(1), ['RequestId: req-heap Error: Runtime exited with error: JavaScript heap out of memory']);
  assert.match(logs, /\tStatus: error\tError Type: Runtime.OutOfMemory$/m);
  assert.not.match(logs, /FATAL ERROR|Last few GCs|Native stack trace/);
});

test('a small function invoked from a large parent (a CLI that has just bundled) is measured on its own, not as the parent', async () => {
  // 200 MB resident in this process, touched so the pages are real: the sandbox is forked from it.
  const ballast = Buffer.alloc(200 * 1024 * 1024, 1);
  try {
    const outcome = await invokeFiles({ 'index.js': 'exports.handler = async () => "small";' }, 'index.handler');
    assert.is(succeeded(outcome), 'small');
    assert.ok(outcome.maxMemoryUsedMB !== undefined && outcome.maxMemoryUsedMB < 128, `used ${outcome.maxMemoryUsedMB} MB`);
  } finally {
    ballast.fill(0, 0, 1);
  }
});

// Handler string resolution, on archives that do not use the runtime.
async function invokeFiles(files: Record<string, string>, handler: string): Promise<InvokeOutcome> {
  const archive = zipFiles(dir, `plain-${Object.keys(archives).length}-${Math.random().toString(36).slice(2)}.zip`, files);
  return invokeArchive({ archive, handler, event: { n: 2 }, timeoutSeconds: 3, memorySize: 128, functionName: 'plain' });
}

test('a handler string names a module in a folder and a nested export', async () => {
  const outcome = await invokeFiles({ 'lib/main.js': 'exports.api = { double: async (event) => event.n * 2 };' }, 'lib/main.api.double');
  assert.is(succeeded(outcome), 4);
});

test('a handler whose export is missing fails with Runtime.HandlerNotFound', async () => {
  const outcome = await invokeFiles({ 'index.js': 'exports.other = () => 1;' }, 'index.handler');
  assert.is(outcome.status === 'failed' && outcome.error.errorType, 'Runtime.HandlerNotFound');
});

test('a handler whose module is missing fails with Runtime.ImportModuleError', async () => {
  const outcome = await invokeFiles({ 'index.js': 'exports.handler = () => 1;' }, 'main.handler');
  assert.is(outcome.status === 'failed' && outcome.error.errorType, 'Runtime.ImportModuleError');
});

test('a function that exits the process fails with Runtime.ExitError', async () => {
  const outcome = await invokeFiles({ 'index.js': 'exports.handler = async () => process.exit(3);' }, 'index.handler');
  assert.is(outcome.status === 'failed' && outcome.error.errorType, 'Runtime.ExitError');
  assert.match(outcome.status === 'failed' ? outcome.error.errorMessage : '', 'exit status 3');
});

test('an undefined result comes back as null, as Lambda serialises it', async () => {
  const outcome = await invokeFiles({ 'index.js': 'exports.handler = async () => undefined;' }, 'index.handler');
  assert.is(succeeded(outcome), null);
});

test('readEvent reads the event from standard input with -', async () => {
  const event = await readEvent('-', Readable.from([Buffer.from('{"Records":'), Buffer.from('[]}')]));
  assert.equal(event, { Records: [] });
});

test('readEvent rejects an event that is not JSON (SPARTA503)', async () => {
  try {
    await readEvent('-', Readable.from([Buffer.from('not json')]));
    assert.unreachable('should reject');
  } catch (error) {
    assert.is((error as { code: string }).code, 'SPARTA503');
  }
});

test.run();
