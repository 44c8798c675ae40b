import type { Test } from 'uvu';

// uvu 0.5 runs `before` hooks inside a try whose `finally` returns: an error
// thrown there vanishes, the suite prints (0 / N) and the process exits 0.
// A suite's setup goes through `setup` instead: the error is kept and thrown
// again before every test, so each test fails with the real reason.

/** Runs `fn` once before the suite's tests; if it throws, every test of the suite fails with that error. */
export function setup<T>(suite: Test<T>, fn: (context: T) => void | Promise<void>): void {
  let failure: Error | undefined;
  suite.before(async (context) => {
    try {
      await fn(context);
    } catch (error) {
      failure = setupFailure(error);
    }
  });
  suite.before.each(() => {
    if (failure) throw failure;
  });
}

function setupFailure(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const failure = new Error(`the suite's setup failed: ${original.message}`, { cause: original });
  // uvu prints the stack: show where the setup threw, not this helper.
  const header = `${original.name}: ${original.message}`;
  const stack = original.stack ?? '';
  failure.stack = `${failure.name}: ${failure.message}${stack.startsWith(header) ? stack.slice(header.length) : `\n${stack}`}`;
  return failure;
}
