import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './helpers/cli';

test('sparta --version prints the package version', async () => {
  const run = await runCli(['--version']);
  assert.is(run.code, 0);
  assert.match(run.stdout, /^\d+\.\d+\.\d+/);
});

test.run();
