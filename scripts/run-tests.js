#!/usr/bin/env node
'use strict';
// `npm test` after the build: node scripts/run-tests.js [--jobs N] [DIR] [PATTERN]
// (defaults dist/test and \.test\.js$). SPARTA_TEST_JOBS (default 2) test processes
// (scripts/test-worker.js) take the files one at a time, slowest first; a process serves many files
// so they share its warm TypeScript and rollup (a process a file costs ~8 s more CPU a file), and a
// process that crashed or timed out is replaced. A file's output is printed in one block when it
// ends, so the logs of parallel files never interleave.
//
// The run fails unless every test it registered ran and passed: a file that crashed, exited
// non-zero, timed out, registered no test, skipped one, or had a test that never ran (a hook that
// threw, a suite never run) fails it. The last line is always `N passed, N failed` for the whole
// run; `failed` counts the tests that failed or never ran, plus one for each file that failed with
// no such test to show for it, so it is 0 only when the run passed.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const WORKER = path.join(__dirname, 'test-worker.js');

// Measured (2 cores, two test processes; files of 5 s or more): the long files start first so the tail of the run stays short.
const SLOWEST_FIRST = [
  'e2e/nested.test.js',
  'converge/commands.test.js',
  'sources/http.test.js',
  'converge/safety.test.js',
  'package.test.js',
  'e2e/pollers.test.js',
  'sources/websocket.test.js',
  'e2e/websocket.test.js',
  'package-scripts.test.js',
  'quick-start.test.js',
  'e2e/hello.test.js',
  'template/nested.test.js',
  'e2e/named-rule.test.js',
  'e2e/stages.test.js',
  'converge/diff.test.js',
  'converge/hotswap.test.js',
  'converge/bootstrap.test.js',
  'runtime/invoke-build.test.js',
  'packaging/layers.test.js',
  'packaging/aliases.test.js',
  'serve/lifecycle.test.js',
  'serve/http.test.js',
  'build/sdk.test.js',
  'converge/provision.test.js',
  'transformer/parity.test.js',
  'sources/s3.test.js',
  'sources/logs.test.js',
  'build/command.test.js',
  'converge/sigterm.test.js',
  'runtime/invoke-cli.test.js',
  'build/atomic.test.js',
  'build/build.test.js',
  'template/lint.test.js',
  'sources/ses.test.js',
  'sources/events-rule.test.js',
  'build/long-names.test.js',
  'runner.test.js',
  'converge/interrupt.test.js',
  'converge/logs.test.js',
  'runtime/invoke.test.js',
  'runtime/invoke-hint.test.js',
  'e2e/moto-skips.test.js',
  'events/sample-types.test.js',
];

function parseArgs(argv) {
  const options = { jobs: Number(process.env.SPARTA_TEST_JOBS || 2), timeoutSeconds: Number(process.env.SPARTA_TEST_TIMEOUT || 300), positional: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--jobs') options.jobs = Number(argv[++i]);
    else options.positional.push(argv[i]);
  }
  if (!Number.isInteger(options.jobs) || options.jobs < 1) throw new Error(`--jobs (or SPARTA_TEST_JOBS) must be a whole number >= 1, got ${options.jobs}`);
  if (!(options.timeoutSeconds > 0)) throw new Error(`SPARTA_TEST_TIMEOUT must be a number of seconds > 0, got ${process.env.SPARTA_TEST_TIMEOUT}`);
  const [dir = 'dist/test', pattern = '\\.test\\.js$'] = options.positional;
  return { ...options, dir: path.resolve(dir), pattern: new RegExp(pattern, 'i') };
}

/** Test files under `dir` whose path relative to it matches, slowest known first, then by name. */
function findTestFiles(dir, pattern) {
  const found = [];
  const walk = (folder, prefix) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const name = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), name);
      else if (pattern.test(name)) found.push(name);
    }
  };
  walk(dir, '');
  const rank = (name) => (SLOWEST_FIRST.includes(name) ? SLOWEST_FIRST.indexOf(name) : SLOWEST_FIRST.length);
  return found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

const MARKER = '\x1eSPARTA-TEST-REPORT ';
const live = new Set();

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** One test process (scripts/test-worker.js) running files one after another. */
function startWorker() {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, ...(process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true, // its own process group: a timeout takes down what its tests started too
  });
  live.add(child);
  const worker = { child, alive: true, buffer: '', current: undefined };
  const finish = (fields) => {
    const current = worker.current;
    if (!current) return;
    worker.current = undefined;
    clearTimeout(current.timer);
    current.resolve({ name: current.name, seconds: (Date.now() - current.started) / 1000, timedOut: Boolean(current.timedOut), ...fields });
  };
  const take = (chunk) => {
    worker.buffer += chunk;
    const at = worker.buffer.indexOf(MARKER);
    const end = at < 0 ? -1 : worker.buffer.indexOf('\n', at);
    if (end < 0) return;
    const output = worker.buffer.slice(0, at).replace(/\n$/, '');
    const report = JSON.parse(worker.buffer.slice(at + MARKER.length, end));
    worker.buffer = worker.buffer.slice(end + 1);
    finish({ output, report });
  };
  child.stdout.setEncoding('utf8').on('data', take);
  // Only what bypasses the worker's stdout lands here: a crash, or a child process's inherited stderr.
  child.stderr.setEncoding('utf8').on('data', (chunk) => (worker.buffer += chunk));
  child.on('error', (error) => (worker.buffer += `\ncannot start the test process: ${error.message}\n`));
  child.on('close', (code, signal) => {
    worker.alive = false;
    live.delete(child);
    finish({ output: worker.buffer, crashed: { code, signal } });
  });
  worker.run = (dir, name, timeoutSeconds) =>
    new Promise((resolve) => {
      const current = { name, resolve, started: Date.now(), timer: undefined, timedOut: false };
      worker.current = current;
      current.timer = setTimeout(() => {
        current.timedOut = true;
        killGroup(child);
      }, timeoutSeconds * 1000);
      child.send({ file: path.join(dir, name), name });
    });
  return worker;
}

/** Tells a worker it is done and waits for it to exit (it kills what its tests left open). */
function stopWorker(worker) {
  if (!worker.alive) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => killGroup(worker.child), 10_000);
    // 'exit', not 'close': after disconnect() node never emits 'close' for a child with an IPC channel.
    worker.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.child.disconnect();
  });
}

/** Counts of one file, and why it failed (empty when it passed). */
function judge(result, timeoutSeconds) {
  const { report } = result;
  const suites = report ? report.suites : [];
  const total = suites.reduce((n, s) => n + s.total, 0);
  const passed = suites.reduce((n, s) => n + s.passed, 0);
  const skipped = suites.reduce((n, s) => n + s.skipped, 0);
  const neverRun = report ? report.neverRun.reduce((n, s) => n + s.tests, 0) : 0;
  const reasons = [];
  if (result.timedOut) reasons.push(`timed out after ${timeoutSeconds} s (SPARTA_TEST_TIMEOUT)`);
  else if (result.crashed) reasons.push(`its test process exited (${result.crashed.signal ?? `code ${result.crashed.code}`}) before the file finished`);
  if (report && report.error) reasons.push(report.error);
  else if (report && total + neverRun === 0) reasons.push('registered no test');
  for (const s of suites) if (s.passed < s.total) reasons.push(`suite "${s.name}": ${s.passed} of ${s.total} passed`);
  if (skipped > 0) reasons.push(`${skipped} skipped (a .skip or .only left in)`);
  for (const s of report ? report.neverRun : []) reasons.push(`suite "${s.suite}" registered ${s.tests} tests but never called run()`);
  for (const h of report ? report.hookErrors : []) reasons.push(`the ${h.hook} hook of suite "${h.suite}" threw: ${h.message.split('\n')[0]}`);
  if (report && report.exitCode !== 0) reasons.push(`set process.exitCode to ${report.exitCode}`);
  const notPassed = total - passed + skipped + neverRun;
  return { passed, failed: notPassed > 0 ? notPassed : reasons.length > 0 ? 1 : 0, total, reasons };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const files = findTestFiles(options.dir, options.pattern);
  const started = Date.now();
  const failures = [];
  let passed = 0;
  let failed = 0;
  if (files.length === 0) {
    failures.push(`no test file under ${options.dir} matches ${options.pattern}`);
    failed = 1;
  }
  process.stdout.write(`${files.length} test files, ${Math.min(options.jobs, files.length)} at a time\n`);

  let next = 0;
  const lane = async () => {
    let worker = startWorker();
    while (next < files.length) {
      if (!worker.alive) worker = startWorker();
      const result = await worker.run(options.dir, files[next++], options.timeoutSeconds);
      const verdict = judge(result, options.timeoutSeconds);
      passed += verdict.passed;
      failed += verdict.failed;
      const mark = verdict.reasons.length ? '✘' : '✔';
      let block = result.output.endsWith('\n') ? result.output : `${result.output}\n`;
      block += `${mark} ${result.name}: ${verdict.passed} of ${verdict.total} passed (${result.seconds.toFixed(1)} s)\n`;
      for (const reason of verdict.reasons) block += `    ${reason}\n`;
      process.stdout.write(`${block}\n`);
      if (verdict.reasons.length) failures.push(`${result.name}: ${verdict.reasons.join('; ')}`);
    }
    await stopWorker(worker);
  };
  await Promise.all(Array.from({ length: Math.min(options.jobs, files.length) }, lane));

  process.stdout.write(`${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (failures.length) process.stdout.write(`FAILED:\n${failures.map((f) => `  ${f}\n`).join('')}`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 ? 1 : 0;
  finished = true;
}

let finished = false;
// Node exits 0 when the event loop runs dry, even with main() still pending: that must not pass.
process.on('exit', () => {
  if (finished) return;
  process.stdout.write('the test runner stopped before the run finished\n0 passed, 1 failed\n');
  process.exitCode = 1;
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of live) killGroup(child);
    process.exit(1);
  });
}

main().catch((error) => {
  process.stdout.write(`${error.stack || error}\n0 passed, 1 failed\n`);
  finished = true;
  process.exitCode = 1;
});
