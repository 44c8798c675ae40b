import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES } from './helpers/paths';
import { runTestRunner } from './helpers/run-tests';

// scripts/run-tests.js (what `npm test` runs) on small fixture suites: the run goes green only when
// every registered test ran and passed, and its last line counts the whole run.

const test = suite('test runner');

const RUNNER_FIXTURES = path.join(FIXTURES, 'runner');
const run = (pattern: string) => runTestRunner([RUNNER_FIXTURES, pattern]);

test('a suite whose tests all pass: exit 0, and the last line counts them', async () => {
  const result = await run('^passes\\.suite\\.js$');
  assert.is(result.code, 0, result.output);
  assert.is(result.summary, '2 passed, 0 failed');
});

test('a before hook that throws fails the run: none of its 3 tests ran, and the error is printed', async () => {
  const result = await run('^setup-throws\\.suite\\.js$');
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '0 passed, 3 failed');
  assert.match(result.output, 'fixture-tool is not on PATH');
  assert.match(result.output, 'suite "needs a tool": 0 of 3 passed');
});

test('a file that throws while it loads fails the run with the error', async () => {
  const result = await run('^throws-on-load\\.suite\\.js$');
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '0 passed, 1 failed');
  assert.match(result.output, 'throws-on-load.suite.js: threw outside its tests: cannot read the fixture configuration');
});

test('a file that registers no test fails the run', async () => {
  const result = await run('^no-tests\\.suite\\.js$');
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '0 passed, 1 failed');
  assert.match(result.output, 'no-tests.suite.js: registered no test');
});

test('a suite that registers tests and never runs them fails the run', async () => {
  const result = await run('^never-run\\.suite\\.js$');
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '1 passed, 2 failed');
  assert.match(result.output, 'suite "forgotten" registered 2 tests but never called run()');
});

test('setup() makes each test of a suite whose setup throws fail with the setup error', async () => {
  const result = await run('^helper-setup-throws\\.suite\\.js$');
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '0 passed, 2 failed');
  assert.is(result.output.match(/the suite's setup failed: fixture-tool is not on PATH/g)?.length, 2);
});

test('a test that ends the process fails the run, and the files after it still run', async () => {
  const result = await runTestRunner(['--jobs', '1', RUNNER_FIXTURES, '^(exits|passes)\\.suite\\.js$']);
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '2 passed, 1 failed');
  assert.match(result.output, 'exits.suite.js: its test process exited (code 3) before the file finished');
});

test('a test that waits on a promise nothing settles fails its file at once; the next file still runs', async () => {
  // One test process: awaits-nothing.suite.js runs first, passes.suite.js after it in the same process.
  const result = await runTestRunner(['--jobs', '1', RUNNER_FIXTURES, '^(awaits-nothing|passes)\\.suite\\.js$'], { ...process.env, SPARTA_TEST_TIMEOUT: '60' });
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '2 passed, 1 failed');
  assert.match(result.output, 'awaits-nothing.suite.js: the event loop ran empty before its tests finished');
});

test('a file that runs past SPARTA_TEST_TIMEOUT is stopped and fails the run; the next file runs', async () => {
  const result = await runTestRunner(['--jobs', '1', RUNNER_FIXTURES, '^(hangs|passes)\\.suite\\.js$'], { ...process.env, SPARTA_TEST_TIMEOUT: '2' });
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '2 passed, 1 failed');
  assert.match(result.output, 'hangs.suite.js: timed out after 2 s (SPARTA_TEST_TIMEOUT)');
});

test('the last line counts every file of the run', async () => {
  const result = await run('^(passes|setup-throws)\\.suite\\.js$');
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '2 passed, 3 failed');
});

test('a pattern that matches no file fails the run', async () => {
  const result = await run('^nothing-is-called-this$');
  assert.is(result.code, 1, result.output);
  assert.is(result.summary, '0 passed, 1 failed');
  assert.match(result.output, 'no test file under');
});

test.run();
