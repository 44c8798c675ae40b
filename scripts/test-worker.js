'use strict';
// A test process for scripts/run-tests.js: it receives test files over IPC ({ file, name }), runs each
// with uvu in this process (as `uvu` itself does, so files share the warm TypeScript and rollup
// modules), and after each one writes its report as one marker line on stdout:
//   \x1eSPARTA-TEST-REPORT {json}
// Everything the file printed comes before that line; stderr is folded into stdout so the two keep
// their order.
//
// uvu 0.5 drops an error thrown by a `before` hook (the suite then shows 0 / N and nothing fails)
// and gives up the rest of the file when an `after` hook throws. So each hook is wrapped to print
// its error and record it, each suite's counts are recorded, and so is a suite that registered tests
// but never called run().
const path = require('node:path');

const MARKER = '\x1eSPARTA-TEST-REPORT ';

process.stderr.write = process.stdout.write.bind(process.stdout);

globalThis.UVU_DEFER = 1; // queue the suites; this process runs them
const uvu = require('uvu');
const makeSuite = uvu.suite;

function describe(error) {
  return (error && (error.stack || error.message)) || String(error);
}

/** Points uvu's `suite` and `test` at wrappers that record into `report`. */
function instrument(report) {
  const registered = [];

  const guard = (suite, hook, fn, rethrow) => async (context) => {
    try {
      await fn(context);
    } catch (error) {
      report.hookErrors.push({ suite, hook, message: String((error && error.message) || error) });
      process.stdout.write(`\n✘ the ${hook} hook of suite "${suite}" threw: ${describe(error)}\n`);
      if (rethrow) throw error;
    }
  };

  const track = (api, title) => {
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
    // An error in `before` still stops the suite (uvu's behaviour) but now says why; one in `after`
    // is recorded and kept from aborting the file, so the failures of the tests still print.
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
  };

  uvu.suite = (title = '', context) => track(makeSuite(title, context), title);
  uvu.test = track(makeSuite(), ''); // a fresh default suite per file: nothing left over from the last one
  return registered;
}

let running; // the file in progress: { report, done }

function writeReport(report) {
  const { done } = running;
  running = undefined;
  report.exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  process.channel.ref();
  process.stdout.write(`\n${MARKER}${JSON.stringify(report)}\n`);
  done();
}

// While a file runs the IPC channel does not keep this process alive: if the event loop runs dry
// first, the file is waiting on a promise nothing will settle (uvu's "Exiting early"), so it fails now
// instead of at the timeout.
process.on('beforeExit', () => {
  if (!running) return;
  const { report } = running;
  report.error = 'the event loop ran empty before its tests finished (a promise nothing settles)';
  process.stdout.write(`\n✘ ${report.file}: ${report.error}\n`);
  writeReport(report);
});

/** Resolves once the file's report is written: when its tests end, or when it is given up as stuck. */
function runFile(file, name) {
  const report = { file: name, suites: [], hookErrors: [], neverRun: [], exitCode: 0, error: undefined };
  return new Promise((done) => {
    running = { report, done };
    process.channel.unref();
    runTests(file, name, report).then(() => {
      if (running && running.report === report) writeReport(report);
    });
  });
}

async function runTests(file, name, report) {
  const registered = instrument(report);
  globalThis.UVU_QUEUE = [[name]];
  globalThis.UVU_INDEX = 0;
  process.exitCode = 0;
  try {
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
  } catch (error) {
    report.error = `threw outside its tests: ${String((error && error.message) || error).split('\n')[0]}`;
    process.stdout.write(`\n✘ ${name} threw outside its tests: ${describe(error)}\n`);
  }
}

let queue = Promise.resolve();
process.on('message', ({ file, name }) => {
  queue = queue.then(() => runFile(file, name));
});
// The runner is done: exit now (running 'exit' hooks, such as the moto helper's), whatever a test left open.
process.on('disconnect', () => queue.then(() => process.exit(0)));
