// `sparta logs` against moto: log events put into a function's group through
// the API (moto runs no code), read back and printed newest last.
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readLogEvents, followLogEvents, type LogEvent } from '../../cli/converge/logs';
import { runCli } from '../helpers/cli';
import { writeServiceProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';

const test = suite<MotoContext>('sparta logs against moto');
withMoto(test);

const GROUP = '/aws/lambda/logs-svc-Reader-get';
const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION, AWS_ENDPOINT_URL: undefined, AWS_PROFILE: undefined };
const project = () => writeServiceProject({ name: 'logs-svc', functions: [{ id: 'Reader.get', body: 'get' }] });

async function putEvents(context: MotoContext, events: { timestamp: number; message: string }[], create = true): Promise<void> {
  const logs = new CloudWatchLogsClient(motoClientConfig(context.moto));
  if (create) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 'stream-1' }));
  }
  await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 'stream-1', logEvents: events }));
}

test("prints the function's lines oldest first: the logger's JSON as time, level, message and fields", async (context) => {
  const now = Date.now();
  await putEvents(context, [
    { timestamp: now - 2000, message: 'START RequestId: 1 Version: $LATEST' },
    { timestamp: now - 1000, message: JSON.stringify({ timestamp: new Date(now - 1000).toISOString(), level: 'INFO', message: 'greeted', requestId: 'r-1', functionName: 'logs-svc-Reader-get', name: 'Ada' }) },
  ]);
  const run = await runCli(['logs', 'Reader.get', '--project', project(), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 0, run.stderr);
  assert.is(
    run.stdout,
    `${new Date(now - 2000).toISOString()} -     START RequestId: 1 Version: $LATEST\n${new Date(now - 1000).toISOString()} INFO  greeted  requestId=r-1 name=Ada\n`,
  );
});

test('--since leaves out older lines', async (context) => {
  const now = Date.now();
  await putEvents(context, [
    { timestamp: now - 3 * 3_600_000, message: 'three hours ago' },
    { timestamp: now - 60_000, message: 'a minute ago' },
  ]);
  const run = await runCli(['logs', 'get', '--since', '1h', '--project', project(), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, 'a minute ago');
  assert.not.match(run.stdout, 'three hours ago');
});

test('--filter passes the pattern to CloudWatch Logs', async (context) => {
  const now = Date.now();
  await putEvents(context, [
    { timestamp: now - 2000, message: 'ERROR disk full' },
    { timestamp: now - 1000, message: 'all good' },
  ]);
  const run = await runCli(['logs', 'get', '--filter', 'ERROR', '--project', project(), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, 'ERROR disk full');
  assert.not.match(run.stdout, 'all good');
});

test('a function whose group does not exist is SPARTA419 on stderr', async (context) => {
  const run = await runCli(['logs', 'Reader.get', '--project', project(), '--endpoint-url', context.moto.endpoint], env);
  assert.is(run.code, 1);
  assert.match(run.stderr, `SPARTA419: Reader.get has no log group ${GROUP} in this account and region`);
  assert.is(run.stdout, '');
});

test('following prints what arrives later, once, and stops when aborted', async (context) => {
  const now = Date.now();
  await putEvents(context, [{ timestamp: now - 1000, message: 'first' }]);
  const printed: string[] = [];
  const controller = new AbortController();
  const query = { group: GROUP, functionId: 'Reader.get', startTime: now - 60_000 };
  const following = followLogEvents(motoAws(context.moto).apis.logs, query, (events: LogEvent[]) => printed.push(...events.map((e) => e.message)), controller.signal, 100);
  await new Promise((resolve) => setTimeout(resolve, 400));
  await putEvents(context, [{ timestamp: Date.now(), message: 'second' }], false);
  for (let i = 0; i < 50 && !printed.includes('second'); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  controller.abort();
  await following;
  assert.equal(printed, ['first', 'second']);
  // Read once more: the same window holds both, in order.
  assert.equal((await readLogEvents(motoAws(context.moto).apis.logs, query)).map((e) => e.message), ['first', 'second']);
});

test.run();
