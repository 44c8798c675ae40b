import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleEventTypes } from '../../cli/events';
import { runCli } from '../helpers/cli';

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
  assert.match(run.stderr, 'schedule, ses, sns');
});

test.run();
