import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildService } from '../../cli/package';
import { processBatch } from '../../runtime/batch';
import { setRequestContext } from '../../runtime/logger';
import { analyzeProject } from '../../transformer/analyze';
import { readArchive } from '../build/fixture';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';
import { captureStdout } from './support';

// processBatch returns what Lambda reads from a function with
// ReportBatchItemFailures: the records that failed, by messageId (SQS) or
// sequence number (streams). The events are shaped as Lambda delivers them;
// the expected failures are worked out by hand.

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:jobs';

function sqsRecord(messageId: string, body: string, groupId?: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1767225600000',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1767225600123',
      ...(groupId !== undefined && { MessageGroupId: groupId, MessageDeduplicationId: `dedup-${messageId}`, SequenceNumber: `1862710000000000000${messageId.slice(-1)}` }),
    },
    messageAttributes: {},
    md5OfBody: '7b270e59b47ff90a553787216d55d91d',
    eventSource: 'aws:sqs',
    eventSourceARN: groupId === undefined ? QUEUE_ARN : `${QUEUE_ARN}.fifo`,
    awsRegion: 'us-east-1',
  };
}

function dynamodbRecord(sequenceNumber: string, id: string): DynamoDBRecord {
  return {
    eventID: `c4ca4238a0b923820dcc509a6f75849${sequenceNumber.slice(-1)}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1767225600,
      Keys: { id: { S: id } },
      NewImage: { id: { S: id }, total: { N: '42' } },
      SequenceNumber: sequenceNumber,
      SizeBytes: 26,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000',
  };
}

function kinesisRecord(sequenceNumber: string, data: string): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'user-1',
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp: 1767225600.123,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000000:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/clicks-role',
    awsRegion: 'us-east-1',
    eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/Clicks',
  };
}

const SEQ = ['49590338271490256608559692538361571095921575989136588898', '49590338271490256608559692540925702759324208523137515618', '49590338271490256608559692541287461495282138016141938786'];

/** Runs `fn` with stdout captured: the log entries it wrote, parsed, beside its value. */
async function logged<T>(fn: () => Promise<T>): Promise<{ value: T; entries: Record<string, unknown>[] }> {
  let value!: T;
  const lines = await captureStdout(async () => {
    value = await fn();
  });
  return { value, entries: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const batch = suite('processBatch');
batch.before.each(() => setRequestContext({}));

batch('a standard queue reports the records that failed and handles every other', async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'a'), sqsRecord('m-2', 'b'), sqsRecord('m-3', 'c'), sqsRecord('m-4', 'd')] };
  const handled: string[] = [];
  const { value } = await logged(() =>
    processBatch(event, async (record) => {
      handled.push(record.body);
      if (record.body === 'b' || record.body === 'd') throw new Error(`cannot handle ${record.body}`);
    }),
  );
  const response: SQSBatchResponse = value;
  assert.equal(response, { batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-4' }] });
  assert.equal(handled.sort(), ['a', 'b', 'c', 'd']);
});

batch('a batch where every record succeeds reports no failures; what the handler returns is ignored', async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'a'), sqsRecord('m-2', 'b')] };
  assert.equal(await processBatch(event, async (record) => record.body.length), { batchItemFailures: [] });
});

batch('an empty batch reports no failures', async () => {
  assert.equal(await processBatch({ Records: [] }, () => assert.unreachable('no record to handle')), { batchItemFailures: [] });
});

batch('a handler that throws synchronously fails its record like one that rejects', async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'a'), sqsRecord('m-2', 'b')] };
  const { value } = await logged(() =>
    processBatch(event, (record) => {
      if (record.body === 'a') throw new Error('sync');
    }),
  );
  assert.equal(value, { batchItemFailures: [{ itemIdentifier: 'm-1' }] });
});

batch("a standard queue's records are handled all at once", async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'first'), sqsRecord('m-2', 'second')] };
  // The first waits for the second to start: one at a time, this would never end.
  let secondStarted!: () => void;
  const started = new Promise<void>((resolve) => (secondStarted = resolve));
  const response = await processBatch(event, async (record) => {
    if (record.body === 'first') await started;
    else secondStarted();
  });
  assert.equal(response, { batchItemFailures: [] });
});

batch('sequential: a standard queue handles one record at a time, in order, and goes on after a failure', async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'a'), sqsRecord('m-2', 'b'), sqsRecord('m-3', 'c')] };
  const steps: string[] = [];
  const { value } = await logged(() =>
    processBatch(
      event,
      async (record) => {
        steps.push(`start ${record.body}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        steps.push(`end ${record.body}`);
        if (record.body === 'b') throw new Error('b fails');
      },
      { sequential: true },
    ),
  );
  assert.equal(steps, ['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  assert.equal(value, { batchItemFailures: [{ itemIdentifier: 'm-2' }] });
});

batch('a FIFO queue stops at the first failure and reports it and every later record', async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'a', 'g1'), sqsRecord('m-2', 'b', 'g1'), sqsRecord('m-3', 'c', 'g2'), sqsRecord('m-4', 'd', 'g1')] };
  const handled: string[] = [];
  const { value } = await logged(() =>
    processBatch(event, async (record) => {
      handled.push(record.body);
      if (record.body === 'b') throw new Error('b fails');
    }),
  );
  assert.equal(value, { batchItemFailures: [{ itemIdentifier: 'm-2' }, { itemIdentifier: 'm-3' }, { itemIdentifier: 'm-4' }] });
  assert.equal(handled, ['a', 'b']);
});

batch('a DynamoDB stream reports by dynamodb.SequenceNumber, from the first failure on', async () => {
  const event: DynamoDBStreamEvent = { Records: [dynamodbRecord('100000000000000000001', 'o-1'), dynamodbRecord('100000000000000000002', 'o-2'), dynamodbRecord('100000000000000000003', 'o-3')] };
  const handled: string[] = [];
  const { value } = await logged(() =>
    processBatch(event, async (record) => {
      const id = record.dynamodb!.Keys!.id.S!;
      handled.push(id);
      if (id === 'o-2') throw new Error('o-2 fails');
    }),
  );
  const response: DynamoDBBatchResponse = value;
  assert.equal(response, { batchItemFailures: [{ itemIdentifier: '100000000000000000002' }, { itemIdentifier: '100000000000000000003' }] });
  assert.equal(handled, ['o-1', 'o-2']);
});

batch('a Kinesis stream reports by kinesis.sequenceNumber, from the first failure on', async () => {
  const event: KinesisStreamEvent = { Records: [kinesisRecord(SEQ[0], 'click-1'), kinesisRecord(SEQ[1], 'click-2'), kinesisRecord(SEQ[2], 'click-3')] };
  const { value } = await logged(() =>
    processBatch(event, async (record) => {
      if (Buffer.from(record.kinesis.data, 'base64').toString() === 'click-1') throw new Error('click-1 fails');
    }),
  );
  const response: KinesisStreamBatchResponse = value;
  assert.equal(response, { batchItemFailures: SEQ.map((itemIdentifier) => ({ itemIdentifier })) });
});

batch('each failed record is logged once, as an error with its identifier and error', async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'a'), sqsRecord('m-2', 'b'), sqsRecord('m-3', 'c')] };
  const { entries } = await logged(() =>
    processBatch(event, async (record) => {
      if (record.body !== 'b') throw new Error(`${record.body} fails`);
    }),
  );
  assert.equal(
    entries.map((entry) => [entry.level, entry.message, entry.itemIdentifier, (entry.error as { message: string }).message]),
    [
      ['ERROR', 'record failed', 'm-1', 'a fails'],
      ['ERROR', 'record failed', 'm-3', 'c fails'],
    ],
  );
});

batch('in order, the one failure is logged with how many later records were not handled', async () => {
  const event: SQSEvent = { Records: [sqsRecord('m-1', 'a', 'g'), sqsRecord('m-2', 'b', 'g'), sqsRecord('m-3', 'c', 'g')] };
  const { entries } = await logged(() =>
    processBatch(event, () => {
      throw new Error('fails');
    }),
  );
  assert.equal(
    entries.map((entry) => [entry.message, entry.itemIdentifier, entry.skipped]),
    [['record failed', 'm-1', 2]],
  );
});

batch('a record with no identifier fails the whole batch before any record is handled', async () => {
  const event = { Records: [sqsRecord('m-1', 'a'), { body: 'no id' }] };
  try {
    await processBatch(event, () => assert.unreachable('no record is handled'));
    assert.unreachable('processBatch should throw');
  } catch (error) {
    assert.instance(error, TypeError);
    assert.match((error as Error).message, /record 1 has no messageId \(SQS\), dynamodb\.SequenceNumber or kinesis\.sequenceNumber/);
  }
});

batch.run();

// Runtime size: a function that does not call processBatch must not carry it.

const shaking = suite('processBatch and tree-shaking');

const PLAIN = `import { Lambda, Service } from 'sparta';
@Service({ name: 'shaking' })
export class Plain {
  @Lambda()
  async run(event: { n: number }) { return { n: event.n }; }
}
`;

const JOBS = `import { Lambda, processBatch, Service } from 'sparta';
import type { SQSEvent } from 'aws-lambda';
@Service({ name: 'shaking' })
export class Jobs {
  @Lambda()
  async run(event: SQSEvent) { return processBatch(event, (record) => { JSON.parse(record.body); }); }
}
`;

shaking('the bundle of a function without processBatch has none of it; the one that calls it has it', async () => {
  const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-batch-'));
  try {
    fs.copyFileSync(path.join(FIXTURES, 'build-service', 'tsconfig.json'), path.join(projectDir, 'tsconfig.json'));
    fs.mkdirSync(path.join(projectDir, 'src'));
    fs.writeFileSync(path.join(projectDir, 'src', 'plain.ts'), PLAIN);
    fs.writeFileSync(path.join(projectDir, 'src', 'jobs.ts'), JOBS);
    fs.mkdirSync(path.join(projectDir, 'node_modules'));
    fs.symlinkSync(REPO_ROOT, path.join(projectDir, 'node_modules', 'sparta'), 'dir');
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@types'), path.join(projectDir, 'node_modules', '@types'), 'dir');
    const tsconfigPath = path.join(projectDir, 'tsconfig.json');
    const analysis = analyzeProject(tsconfigPath);
    assert.equal(analysis.diagnostics, []);
    const outDir = path.join(projectDir, '.sparta');
    const artifacts = await buildService({ projectDir, tsconfigPath, service: analysis.manifest!.services[0], outDir });
    const code = (id: string) => [...readArchive(path.join(outDir, artifacts.find((artifact) => artifact.functionId === id)!.archive)).values()].join('\n');
    for (const marker of ['record failed', 'kinesis.sequenceNumber']) {
      assert.not.ok(code('Plain.run').includes(marker), `Plain.run carries ${marker}`);
      assert.ok(code('Jobs.run').includes(marker), `Jobs.run lacks ${marker}`);
    }
  } finally {
    fs.rmSync(projectDir, { recursive: true, force: true });
  }
});

shaking.run();
