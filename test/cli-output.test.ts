import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCli } from '../cli/index';
import { colorDepthOf } from '../cli/terminal';
import { runCli } from './helpers/cli';
import { withEnv } from './helpers/env';

// What reaches the user's terminal, or their pipe: suggestions for typos,
// colour only where a person reads it.

test('a mistyped command suggests the nearest one, on stderr', async () => {
  const run = await runCli(['biuld']);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, /^Unknown Command: "biuld"; did you mean `sparta build`\?/);
  assert.not.match(run.stderr, /sparta provision \[--project/, 'no wall of every command usage');
});

test('a word far from every command lists the command names', async () => {
  const run = await runCli(['frobnicate']);
  assert.is(run.code, 1);
  assert.match(run.stderr, 'the commands are bootstrap, build, delete, describe, diff, event, explain, invoke, logs, provision');
});

test('a pipe gets no colour; a terminal does; NO_COLOR and FORCE_COLOR win', () => {
  const pipe = new PassThrough();
  const terminal = Object.assign(new PassThrough(), { isTTY: true, getColorDepth: () => 8 });
  assert.is(colorDepthOf(pipe, {}), 1);
  assert.is(colorDepthOf(terminal, {}), 8);
  assert.is(colorDepthOf(terminal, { NO_COLOR: '1' }), 1);
  assert.is(colorDepthOf(pipe, { FORCE_COLOR: '1' }), 4);
  assert.is(colorDepthOf(terminal, { FORCE_COLOR: '0' }), 1);
});

test('an error written to a pipe carries no escape codes', async () => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk) => (err += chunk));
  // uvu itself sets FORCE_COLOR for its own output.
  const code = await withEnv({ FORCE_COLOR: undefined, NO_COLOR: undefined }, () =>
    createCli().run(['explain', '--project', '/no/such/tsconfig.json'], { stdout, stderr, stdin: process.stdin }),
  );
  assert.is(code, 1);
  assert.match(err, 'SPARTA101');
  assert.not.match(err, /\u001b\[/);
});

test.run();
