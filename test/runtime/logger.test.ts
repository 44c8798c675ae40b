import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOG_LEVEL_ENV } from '../../manifest/environment';
import { logger, setRequestContext } from '../../runtime/logger';
import { captureStdout, withEnv } from './support';

const parse = (lines: string[]) => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

test.before.each(() => setRequestContext({}));

test('an entry is one JSON line: timestamp, level, message, request ID, function name, then the fields', async () => {
  setRequestContext({ requestId: 'req-1', functionName: 'hello-sparta-Hello-hello' });
  const lines = await withEnv({ [LOG_LEVEL_ENV]: undefined }, () => captureStdout(() => logger.info('saved', { items: 3, table: 'Orders' })));
  assert.is(lines.length, 1);
  const entry = JSON.parse(lines[0]);
  assert.equal(Object.keys(entry), ['timestamp', 'level', 'message', 'requestId', 'functionName', 'items', 'table']);
  assert.is(entry.level, 'INFO');
  assert.is(entry.message, 'saved');
  assert.is(entry.requestId, 'req-1');
  assert.is(entry.functionName, 'hello-sparta-Hello-hello');
  assert.equal([entry.items, entry.table], [3, 'Orders']);
  assert.is(new Date(entry.timestamp).toISOString(), entry.timestamp);
});

test('outside an invocation the function name comes from the Lambda environment', async () => {
  const lines = await withEnv({ AWS_LAMBDA_FUNCTION_NAME: 'fn-from-env' }, () => captureStdout(() => logger.warn('init')));
  const [entry] = parse(lines);
  assert.is(entry.functionName, 'fn-from-env');
  assert.is('requestId' in entry, false);
});

test('the default level is info: debug is dropped, info and above are written', async () => {
  const lines = await withEnv({ [LOG_LEVEL_ENV]: undefined }, () =>
    captureStdout(() => {
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
    }),
  );
  assert.equal(parse(lines).map((entry) => entry.level), ['INFO', 'WARN', 'ERROR']);
});

test('SPARTA_LOG_LEVEL filters out the levels below it', async () => {
  const lines = await withEnv({ [LOG_LEVEL_ENV]: 'warn' }, () =>
    captureStdout(() => {
      logger.debug('d');
      logger.info('i');
      logger.warn('w');
      logger.error('e');
    }),
  );
  assert.equal(parse(lines).map((entry) => entry.message), ['w', 'e']);
});

test('SPARTA_LOG_LEVEL=debug lets debug entries through', async () => {
  const lines = await withEnv({ [LOG_LEVEL_ENV]: 'DEBUG' }, () => captureStdout(() => logger.debug('details')));
  assert.equal(parse(lines).map((entry) => entry.level), ['DEBUG']);
});

test('an unknown level falls back to info', async () => {
  await withEnv({ [LOG_LEVEL_ENV]: 'verbose' }, async () => {
    assert.is(logger.level, 'info');
    const lines = await captureStdout(() => logger.debug('hidden'));
    assert.is(lines.length, 0);
  });
});

test('an Error field keeps its name, message, stack and own properties', async () => {
  const error = Object.assign(new TypeError('bad input'), { code: 'E_INPUT' });
  const [entry] = parse(await captureStdout(() => logger.error('failed', { error })));
  const logged = entry.error as Record<string, string>;
  assert.is(logged.name, 'TypeError');
  assert.is(logged.message, 'bad input');
  assert.is(logged.code, 'E_INPUT');
  assert.ok(logged.stack.includes('logger.test'));
});

test('a field named like a reserved key is kept as _<key>, and cannot overwrite the reserved one', async () => {
  setRequestContext({ requestId: 'real', functionName: 'fn' });
  const fields = { message: 'spoofed', level: 'ERROR', timestamp: 'yesterday', requestId: 'other', functionName: 'theirs' };
  const [entry] = parse(await captureStdout(() => logger.info('real message', fields)));
  assert.equal([entry.message, entry.level, entry.requestId, entry.functionName], ['real message', 'INFO', 'real', 'fn']);
  assert.equal([entry._message, entry._level, entry._timestamp, entry._requestId, entry._functionName], ['spoofed', 'ERROR', 'yesterday', 'other', 'theirs']);
});

test('when _<key> is taken too, the field moves one underscore further', async () => {
  const [entry] = parse(await captureStdout(() => logger.info('m', { _message: 'first', message: 'second' })));
  assert.equal([entry.message, entry._message, entry.__message], ['m', 'first', 'second']);
});

test("a child logger's field named like a reserved key is kept the same way", async () => {
  const [entry] = parse(await captureStdout(() => logger.child({ level: 'component-level' }).warn('w')));
  assert.equal([entry.level, entry._level], ['WARN', 'component-level']);
});

test('a child logger adds its fields to every entry; the entry wins on a clash', async () => {
  const orders = logger.child({ component: 'orders', region: 'eu' });
  const [entry] = parse(await captureStdout(() => orders.info('placed', { region: 'us' })));
  assert.equal([entry.component, entry.region], ['orders', 'us']);
});

test('an unserialisable field degrades to a note instead of throwing; the other fields are kept', async () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  const [entry] = parse(await captureStdout(() => logger.info('cyclic', { cycle, orderId: 'o-1' })));
  assert.is(entry.message, 'cyclic');
  assert.is(entry.orderId, 'o-1');
  assert.match(entry.cycle as string, /^\[unserialisable: TypeError: Converting circular structure/);
});

test.run();
