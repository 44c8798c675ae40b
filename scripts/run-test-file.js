'use strict';
// Runs one uvu test file in this process (`node scripts/run-test-file.js FILE NAME`), prints what uvu
// prints, and writes what really ran as JSON to $SPARTA_TEST_REPORT for scripts/run-tests.js.
//
// uvu 0.5 drops an error thrown by a `before` hook (the suite then shows 0 / N and the process exits 0)
// and gives up the rest of the file when an `after` hook throws. So each hook is wrapped to print
// its error and record it, each suite's counts are recorded, and so is a suite that registered tests
// but never called run().
const fs = require('node:fs');
const path = require('node:path');

const [file, name = path.basename(file)] = process.argv.slice(2);
const reportFile = process.env.SPARTA_TEST_REPORT;

globalThis.UVU_DEFER = 1; // queue the suites instead of running them on a timer
const uvu = require('uvu');

const report = { file: name, suites: [], hookErrors: [], neverRun: [], finished: false };
const registered = [];

function describe(error) {
  return (error && (error.stack || error.message)) || String(error);
}

function guard(suite, hook, fn, rethrow) {
  return async (context) => {
    try {
      await fn(context);
    } catch (error) {
      report.hookErrors.push({ suite, hook, message: String((error && error.message) || error) });
      process.stderr.write(`\n✘ the ${hook} hook of suite "${suite}" in ${name} threw: ${describe(error)}\n`);
      if (rethrow) throw error;
    }
  };
}

function track(api, title) {
  const state = { title, pending: 0 };
  registered.push(state);
  const t = (testName, fn) => {
    state.pending++;
    api(testName, fn);
  };
  t.only = (testName, fn) => {
    state.pending++;
    api.only(testName, fn);
  };
  t.skip = api.skip;
  // An error in `before` still stops the suite (uvu's behaviour) but now says why; one in `after` is
  // recorded and kept from aborting the file, so uvu still prints the failures of the tests.
  t.before = (fn) => api.before(guard(title, 'before', fn, true));
  t.before.each = api.before.each;
  t.after = (fn) => api.after(guard(title, 'after', fn, false));
  t.after.each = (fn) => api.after.each(guard(title, 'after.each', fn, true));
  t.run = () => {
    state.pending = 0;
    api.run();
    const queue = globalThis.UVU_QUEUE[0];
    queue[queue.length - 1].suite = title;
  };
  return t;
}

const makeSuite = uvu.suite;
uvu.suite = (title = '', context) => track(makeSuite(title, context), title);
uvu.test = track(uvu.test, '');

async function main() {
  globalThis.UVU_QUEUE.push([name]);
  globalThis.UVU_INDEX = 0;
  require(path.resolve(file));
  const [header, ...runs] = globalThis.UVU_QUEUE[0];
  process.stdout.write(`${header}\n`);
  for (const run of runs) {
    // uvu's runner resolves to [errors or true, passed, skipped, total].
    const [errors, passed, skipped, total] = await run();
    report.suites.push({ name: run.suite, total, passed, skipped });
    if (typeof errors === 'string') process.stdout.write(`\n${errors}\n`);
  }
  for (const state of registered) if (state.pending > 0) report.neverRun.push({ suite: state.title, tests: state.pending });
  report.finished = true;
}

process.on('exit', (code) => {
  if (!report.finished) process.stderr.write(`\n✘ ${name} exited (code ${code}) before its tests finished\n`);
  if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(report));
});

main().then(
  () => {
    const failed = report.suites.some((s) => s.passed !== s.total) || report.hookErrors.length > 0 || report.neverRun.length > 0;
    if (failed) process.exitCode = 1;
  },
  (error) => {
    process.stderr.write(`\n✘ ${name} crashed: ${describe(error)}\n`);
    process.exitCode = 1;
  },
);
