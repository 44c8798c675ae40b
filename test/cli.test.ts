import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createCli } from '../cli/index';

test('sparta --version prints the package version', async () => {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk) => (out += chunk));
  const code = await createCli().run(['--version'], { stdout, stderr: stdout, stdin: process.stdin });
  assert.is(code, 0);
  assert.match(out, /^\d+\.\d+\.\d+/);
});

test.run();
