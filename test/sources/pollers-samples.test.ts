import type { DynamoDBStreamEvent, KinesisStreamEvent, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sampleEvent, sampleEventTypes } from '../../cli/events';
import { SAMPLE_EVENTS } from '../../sources';

// `sparta event sqs|dynamodb|kinesis`: records shaped as Lambda's pollers
// deliver them (the shapes of Lambda's documentation), tailored by values.

const test = suite('sources: pollers sample events');

test('sqs, dynamodb and kinesis are sample types, each named for its @types/aws-lambda type and decorator', () => {
  for (const type of ['sqs', 'dynamodb', 'kinesis']) assert.ok(sampleEventTypes().includes(type), type);
  assert.equal(
    ['sqs', 'dynamodb', 'kinesis'].map((type) => [SAMPLE_EVENTS[type].typeName, SAMPLE_EVENTS[type].decorator]),
    [
      ['SQSEvent', '@SQS({ queue })'],
      ['DynamoDBStreamEvent', '@DynamoDBStream({ table })'],
      ['KinesisStreamEvent', '@Kinesis({ stream })'],
    ],
  );
});

test('sqs carries the given queue ARN and body, with the body\'s MD5 and the region', () => {
  const queue = 'arn:aws:sqs:eu-west-1:123456789012:jobs';
  const body = '{"kind":"resize"}';
  const event = sampleEvent('sqs', { queue, body }, 'eu-west-1') as SQSEvent;
  assert.is(event.Records.length, 1);
  const [record] = event.Records;
  assert.equal([record.eventSource, record.eventSourceARN, record.awsRegion, record.body], ['aws:sqs', queue, 'eu-west-1', body]);
  assert.is(record.md5OfBody, createHash('md5').update(body).digest('hex'));
  assert.is(record.attributes.ApproximateReceiveCount, '1');
  assert.match(record.messageId, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
});

test('dynamodb is one MODIFY of an item with old and new images, from the given stream', () => {
  const stream = 'arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000';
  const event = sampleEvent('dynamodb', { stream }) as DynamoDBStreamEvent;
  const [record] = event.Records;
  assert.equal([record.eventSource, record.eventName, record.eventSourceARN], ['aws:dynamodb', 'MODIFY', stream]);
  assert.equal(record.dynamodb?.Keys, { pk: { S: 'order-1' } });
  assert.is(record.dynamodb?.StreamViewType, 'NEW_AND_OLD_IMAGES');
  assert.ok(record.dynamodb?.NewImage && record.dynamodb?.OldImage);
});

test('kinesis carries the given data base64-encoded, from the given stream', () => {
  const stream = 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks';
  const event = sampleEvent('kinesis', { stream, data: 'hello' }) as KinesisStreamEvent;
  const [record] = event.Records;
  assert.equal([record.eventSource, record.eventName, record.eventSourceARN], ['aws:kinesis', 'aws:kinesis:record', stream]);
  assert.is(record.kinesis.data, 'aGVsbG8=');
  assert.ok(record.eventID.endsWith(`:${record.kinesis.sequenceNumber}`), 'the event ID is shard and sequence number');
});

test.run();
