import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleEventTypes } from '../../cli/events';
import { runCli } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/paths';

/** A project on disk whose one function subscribes to a topic of its own. */
function shopProject(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sparta-event-'));
  const compilerOptions = { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: true, experimentalDecorators: true, types: [] };
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(
    path.join(root, 'src', 'shop.ts'),
    `import { Lambda, Ref, Resource, Service, SNS } from 'sparta';

@Service({ name: 'shop' })
@Resource('OrdersTopic', { Type: 'AWS::SNS::Topic' })
@Resource('RefundsTopic', { Type: 'AWS::SNS::Topic' })
export class Shop {
  @Lambda()
  @SNS({ topic: Ref('OrdersTopic') })
  onOrder() {}

  @Lambda()
  @SNS({ topic: Ref('RefundsTopic') })
  @SNS({ topic: Ref('OrdersTopic') })
  onMoney() {}

  @Lambda()
  quiet() {}
}
`,
  );
  mkdirSync(path.join(root, 'node_modules'));
  symlinkSync(REPO_ROOT, path.join(root, 'node_modules', 'sparta'), 'dir');
  return root;
}

test('schedule prints a ScheduledEvent as EventBridge sends it', async () => {
  const run = await runCli(['event', 'schedule', '--region', 'eu-west-1', '--rule', 'nightly']);
  assert.is(run.code, 0);
  const event = JSON.parse(run.stdout);
  assert.is(event['detail-type'], 'Scheduled Event');
  assert.is(event.source, 'aws.events');
  assert.is(event.region, 'eu-west-1');
  assert.equal(event.resources, ['arn:aws:events:eu-west-1:123456789012:rule/nightly']);
  assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('sns prints one notification carrying the given topic, subject and message', async () => {
  const topic = 'arn:aws:sns:us-east-1:123456789012:alerts';
  const run = await runCli(['event', 'sns', '--topic', topic, '--subject', 'Disk', '--message', '90% full']);
  assert.is(run.code, 0);
  const [record] = JSON.parse(run.stdout).Records;
  assert.is(record.EventSource, 'aws:sns');
  assert.ok(record.EventSubscriptionArn.startsWith(`${topic}:`));
  assert.equal([record.Sns.TopicArn, record.Sns.Subject, record.Sns.Message, record.Sns.Type], [topic, 'Disk', '90% full', 'Notification']);
});

test('ses prints one SES record with the given subject', async () => {
  const run = await runCli(['event', 'ses', '--region', 'eu-west-1', '--subject', 'Order 42']);
  assert.is(run.code, 0);
  const [record] = JSON.parse(run.stdout).Records;
  assert.is(record.eventSource, 'aws:ses');
  assert.is(record.ses.mail.commonHeaders.subject, 'Order 42');
  assert.match(record.ses.receipt.action.functionArn, /^arn:aws:lambda:eu-west-1:123456789012:function:/);
});

test('every listed type prints JSON', async () => {
  for (const type of sampleEventTypes()) {
    const run = await runCli(['event', type]);
    assert.is(run.code, 0, type);
    assert.type(JSON.parse(run.stdout), 'object');
  }
});

test('an unknown type is a usage error naming the known ones', async () => {
  const run = await runCli(['event', 'carrier-pigeon']);
  assert.is(run.code, 1);
  assert.match(run.stderr, `known: ${sampleEventTypes().join(', ')}`);
});

test("--function: the sample carries the function's own topic, the flags given replace single values", async () => {
  const project = shopProject();
  const run = await runCli(['event', 'sns', '--project', project, '--function', 'onOrder', '--region', 'eu-west-1', '--subject', 'Refund']);
  assert.is(run.code, 0, run.stderr);
  const [record] = JSON.parse(run.stdout).Records;
  assert.equal([record.Sns.TopicArn, record.Sns.Subject], ['arn:aws:sns:eu-west-1:123456789012:shop-OrdersTopic', 'Refund']);
  const replaced = await runCli(['event', 'sns', '--project', project, '--function', 'onOrder', '--topic', 'arn:aws:sns:us-east-1:123456789012:other']);
  assert.is(JSON.parse(replaced.stdout).Records[0].Sns.TopicArn, 'arn:aws:sns:us-east-1:123456789012:other');
});

test('--function with two such sources: the first one written, and a note on stderr', async () => {
  const run = await runCli(['event', 'sns', '--project', shopProject(), '--function', 'onMoney', '--region', 'us-east-1']);
  assert.is(run.code, 0, run.stderr);
  assert.is(JSON.parse(run.stdout).Records[0].Sns.TopicArn, 'arn:aws:sns:us-east-1:123456789012:shop-RefundsTopic');
  assert.match(run.stderr, 'Shop.onMoney has 2 sources that deliver sns events');
});

test('--function naming a function without such a source fails with SPARTA508 on stderr, nothing on stdout', async () => {
  const run = await runCli(['event', 'sns', '--project', shopProject(), '--function', 'quiet']);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, 'SPARTA508: Shop.quiet has no source that delivers sns events');
  assert.match(run.stderr, 'hint: functions with one: Shop.onMoney, Shop.onOrder');
});

test('--function naming no function fails with SPARTA105', async () => {
  const run = await runCli(['event', 'sns', '--project', shopProject(), '--function', 'Shop.missing']);
  assert.is(run.code, 1);
  assert.match(run.stderr, 'SPARTA105: no function Shop.missing in service shop');
});

test('--set KEY=VALUE sets any value a sample reads, also one a named flag could set', async () => {
  const run = await runCli(['event', 'ses', '--set', 'subject=Invoice 7', '--set', 'recipient=billing@example.com']);
  assert.is(run.code, 0, run.stderr);
  const mail = JSON.parse(run.stdout).Records[0].ses.mail;
  assert.equal([mail.commonHeaders.subject, mail.destination], ['Invoice 7', ['billing@example.com']]);
});

test('--set without = is a usage error that shows the form', async () => {
  const run = await runCli(['event', 'sqs', '--set', 'body']);
  assert.is(run.code, 1);
  assert.match(run.stderr, '--set "body" is not KEY=VALUE');
});

test.run();
