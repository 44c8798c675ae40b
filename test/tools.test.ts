import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pathWithOnlyNode, runTestRunner } from './helpers/run-tests';

// The tests need cfn-lint and moto_server. Without one on PATH, the suites that use it fail, naming
// the tool and how to install it: never a skip, never a green run.

const test = suite('test tools missing');

const DIST_TEST = __dirname;

test('without cfn-lint on PATH the lint suite fails, saying pip install cfn-lint', async () => {
  const { env, cleanup } = pathWithOnlyNode();
  try {
    const result = await runTestRunner([DIST_TEST, '^template/lint\\.test\\.js$'], env);
    assert.is(result.code, 1, result.output);
    assert.match(result.summary, /^0 passed, [1-9]\d* failed$/);
    assert.match(result.output, 'cfn-lint is not installed or not on PATH: these tests need it (pip install cfn-lint)');
  } finally {
    cleanup();
  }
});

test('without moto_server on PATH a moto suite fails, saying pip install "moto[server]"', async () => {
  const { env, cleanup } = pathWithOnlyNode();
  try {
    const result = await runTestRunner([DIST_TEST, '^e2e/hello\\.test\\.js$'], env);
    assert.is(result.code, 1, result.output);
    assert.match(result.summary, /^0 passed, [1-9]\d* failed$/);
    assert.match(result.output, 'moto_server is not installed or not on PATH: these tests need it (pip install "moto[server]")');
  } finally {
    cleanup();
  }
});

test.run();
