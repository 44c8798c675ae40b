import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { EXAMPLES, FIXTURES } from '../helpers/paths';
import { tempDir } from './support';
import { setup } from '../helpers/setup';

// `sparta invoke` on archives that `sparta build` made: the same bytes that
// `provision` uploads.

const HELLO = path.join(EXAMPLES, 'hello');
const PROBE = path.join(FIXTURES, 'invoke-probe');
const hello = { project: path.join(HELLO, 'tsconfig.json'), out: tempDir('invoke-hello') };
const probe = { project: path.join(PROBE, 'tsconfig.json'), out: tempDir('invoke-probe') };
const args = (target: { project: string; out: string }) => ['--project', target.project, '--out', target.out];

setup(test, async () => {
  for (const target of [hello, probe]) {
    const run = await runCli(['build', ...args(target)]);
    if (run.code !== 0) throw new Error(`sparta build failed for ${target.project}:\n${run.stdout}${run.stderr}`);
  }
});

test.after(() => {
  for (const target of [hello, probe]) fs.rmSync(target.out, { recursive: true, force: true });
});

test('invoke by method name prints the logs on stderr and the result as JSON on stdout', async () => {
  const run = await runCli(['invoke', 'hello', ...args(hello)]);
  assert.is(run.code, 0, run.stdout);
  const result = JSON.parse(run.stdout);
  assert.is(result.message, 'Hello, World');
  assert.match(run.stderr, /^START RequestId: /m);
  assert.match(run.stderr, /Memory Size: 256 MB/);
});

test('invoke by id with a sample event from `sparta event`, discovery filled with placeholders', async () => {
  const event = await runCli(['event', 'schedule']);
  const file = path.join(hello.out, 'tick.json');
  fs.writeFileSync(file, event.stdout);
  const run = await runCli(['invoke', 'Hello.tick', ...args(hello), '--event', file]);
  assert.is(run.code, 0, run.stdout);
  const result = JSON.parse(run.stdout);
  assert.is(result.time, JSON.parse(event.stdout).time);
  assert.is(result.topic, 'arn:aws:sns:us-east-1:123456789012:hello-sparta-AlertsTopic');
});

test('invoke by deployed function name with --env overriding the function environment', async () => {
  const run = await runCli(['invoke', 'hello-sparta-Hello-hello', ...args(hello), '--env', 'GREETING_NAME=you']);
  assert.is(run.code, 0, run.stdout);
  assert.is(JSON.parse(run.stdout).message, 'Hello, you');
});

test('a function that throws exits non-zero: stdout is the error payload alone (valid JSON), SPARTA501 on stderr', async () => {
  const run = await runCli(['invoke', 'fail', ...args(probe)]);
  assert.is(run.code, 1);
  const payload = JSON.parse(run.stdout);
  assert.equal(Object.keys(payload), ['errorType', 'errorMessage', 'trace']);
  assert.is(payload.errorMessage, 'probe failed');
  assert.match(run.stderr, 'SPARTA501');
});

test("a function past its manifest timeout exits non-zero with SPARTA502", async () => {
  const run = await runCli(['invoke', 'Probe.hang', ...args(probe)]);
  assert.is(run.code, 1);
  assert.is(JSON.parse(run.stdout).errorType, 'Sandbox.Timedout');
  assert.match(run.stderr, 'SPARTA502');
  assert.match(run.stderr, 'Status: timeout');
});

test('a function past its manifest memory (128 MB) exits non-zero with SPARTA507, the payload Runtime.OutOfMemory', async () => {
  const file = path.join(probe.out, 'buffers.json');
  fs.writeFileSync(file, JSON.stringify({ mb: 200 }));
  const run = await runCli(['invoke', 'Probe.buffers', ...args(probe), '--event', file]);
  assert.is(run.code, 1);
  assert.is(JSON.parse(run.stdout).errorType, 'Runtime.OutOfMemory');
  assert.match(run.stderr, 'SPARTA507');
  assert.match(run.stderr, 'used more than its 128 MB');
});

test('a result over 6 MB exits non-zero with SPARTA506, the payload Function.ResponseSizeTooLarge', async () => {
  const file = path.join(probe.out, 'big.json');
  fs.writeFileSync(file, JSON.stringify({ bytes: 6_291_556 }));
  const run = await runCli(['invoke', 'Probe.echoSize', ...args(probe), '--event', file]);
  assert.is(run.code, 1);
  assert.is(JSON.parse(run.stdout).errorType, 'Function.ResponseSizeTooLarge');
  assert.match(run.stderr, 'SPARTA506');
});

test('an unknown function is SPARTA105', async () => {
  const run = await runCli(['invoke', 'nope', ...args(hello)]);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, 'SPARTA105');
});

test('--no-build on a project without build.json is SPARTA203', async () => {
  const run = await runCli(['invoke', 'hello', '--project', hello.project, '--out', path.join(hello.out, 'elsewhere'), '--no-build']);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, 'SPARTA203');
});

test('a missing event file is SPARTA503', async () => {
  const run = await runCli(['invoke', 'hello', ...args(hello), '--event', path.join(hello.out, 'missing.json')]);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, 'SPARTA503');
});

test('--env without = is a usage error', async () => {
  const run = await runCli(['invoke', 'hello', ...args(hello), '--env', 'NOEQUALS']);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, 'Usage Error');
});

test.run();
