import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHandler } from '../../runtime/handler';
import { logger, setRequestContext } from '../../runtime/logger';
import { captureStdout } from './support';

const context = (awsRequestId: string) => ({ awsRequestId, functionName: 'svc-Counter-count' });

test.before.each(() => setRequestContext({}));

test('one instance serves every invocation of the container', async () => {
  let constructed = 0;
  class Counter {
    private calls = 0;
    constructor() {
      constructed += 1;
    }
    count() {
      this.calls += 1;
      return this.calls;
    }
  }
  const handler = createHandler(Counter, 'count');
  assert.is(constructed, 0, 'created on first use, not at import');
  assert.is(await handler({}, context('a')), 1);
  assert.is(await handler({}, context('b')), 2);
  assert.is(constructed, 1);
});

test('a sync method gets the event and context with `this` bound, and its value is returned', async () => {
  class Echo {
    prefix = 'got';
    echo(event: { value: number }, ctx: { awsRequestId: string }) {
      return { said: `${this.prefix} ${event.value}`, requestId: ctx.awsRequestId };
    }
  }
  const result = await createHandler(Echo, 'echo')({ value: 7 }, context('req-7'));
  assert.equal(result, { said: 'got 7', requestId: 'req-7' });
});

test("an async method's promise is awaited", async () => {
  class Later {
    async later(event: { ms: number }) {
      await new Promise((resolve) => setTimeout(resolve, event.ms));
      return 'done';
    }
  }
  assert.is(await createHandler(Later, 'later')({ ms: 5 }, context('x')), 'done');
});

test('a thrown error is rethrown as is, not logged: the runtime logs it, once', async () => {
  const boom = new RangeError('out of range');
  class Failing {
    async fail(): Promise<never> {
      throw boom;
    }
  }
  const handler = createHandler(Failing, 'fail');
  let caught: unknown;
  const lines = await captureStdout(async () => {
    try {
      await handler({}, context('req-err'));
      assert.unreachable('the handler should reject');
    } catch (error) {
      caught = error;
    }
  });
  assert.is(caught, boom);
  assert.equal(lines, []);
});

test('a sync throw is rejected the same way', async () => {
  class Sync {
    fail() {
      throw new Error('sync');
    }
  }
  try {
    await createHandler(Sync, 'fail')({}, context('s'));
    assert.unreachable('the handler should reject');
  } catch (error) {
    assert.is((error as Error).message, 'sync');
  }
});

test('each invocation sets the request context the logger reports', async () => {
  class Talker {
    talk() {
      logger.info('talking');
    }
  }
  const handler = createHandler(Talker, 'talk');
  const lines = await captureStdout(async () => {
    await handler({}, context('first'));
    await handler({}, context('second'));
  });
  assert.equal(
    lines.map((line) => JSON.parse(line).requestId),
    ['first', 'second'],
  );
});

test('a constructor that throws fails the invocation and is retried on the next', async () => {
  let attempts = 0;
  class Flaky {
    constructor() {
      attempts += 1;
      if (attempts === 1) throw new Error('cold start failed');
    }
    run() {
      return attempts;
    }
  }
  const handler = createHandler(Flaky, 'run');
  await captureStdout(async () => {
    try {
      await handler({}, context('1'));
      assert.unreachable('the first invocation should fail');
    } catch (error) {
      assert.is((error as Error).message, 'cold start failed');
    }
  });
  assert.is(await handler({}, context('2')), 2);
});

test.run();
