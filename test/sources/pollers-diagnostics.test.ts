import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnalysisResult } from '../../transformer/analyze';
import { analyzeSources } from '../helpers/inline-project';

// Every option of @SQS, @DynamoDBStream and @Kinesis is checked at compile
// time against what Lambda's CreateEventSourceMapping accepts: one problem a
// test, with its code, at the file and line of the offending property.

const test = suite('sources: pollers diagnostics');

const FILE = 'src/worker.ts';
const IMPORTS = "import { Service, Resource, Lambda, SQS, DynamoDBStream, Kinesis, Ref, GetAtt } from 'sparta';\n";
const RESOURCES = [
  "@Resource('Jobs', { Type: 'AWS::SQS::Queue' })",
  "@Resource('Sequenced', { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } })",
  "@Resource('Orders', { Type: 'AWS::DynamoDB::Table', Properties: { StreamSpecification: { StreamViewType: 'NEW_IMAGE' } } })",
  "@Resource('Plain', { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST' } })",
  "@Resource('Clicks', { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } })",
  "@Resource('Alerts', { Type: 'AWS::SNS::Topic' })",
];

/** `decorator` (possibly several lines) on a method of a service that declares every resource above. */
function analyze(decorator: string): { result: AnalysisResult; lineOf: (needle: string) => number } {
  const lines = [`${IMPORTS}@Service({ name: 'shop' })`, ...RESOURCES, 'export class Worker {', '  @Lambda()', decorator, '  run() { return { batchItemFailures: [] }; }', '}', ''];
  const text = lines.join('\n');
  const all = text.split('\n');
  return {
    result: analyzeSources({ [FILE]: text }),
    lineOf(needle) {
      const index = all.findIndex((line, i) => i > RESOURCES.length && line.includes(needle));
      if (index < 0) throw new Error(`${needle} not in the source`);
      return index + 1;
    },
  };
}

function expectOne(decorator: string, code: string, needle: string, message?: RegExp, hint?: RegExp) {
  const { result, lineOf } = analyze(decorator);
  assert.is(result.manifest, undefined, 'no manifest when there are diagnostics');
  const found = result.diagnostics.filter((diagnostic) => diagnostic.code === code);
  assert.is(found.length, 1, `expected one ${code}, got ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.line, d.message]))}`);
  assert.is(result.diagnostics.length, 1, `only that one: ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.line, d.message]))}`);
  assert.is(found[0].file, FILE);
  assert.is(found[0].line, lineOf(needle));
  if (message) assert.match(found[0].message, message);
  if (hint) assert.match(found[0].hint ?? '', hint);
}

// ---- @SQS

test('@SQS without a queue is SPARTA013 at the decorator', () => {
  expectOne('  @SQS({ batchSize: 5 })', 'SPARTA013', '@SQS', /needs `queue`/);
});

test('@SQS batchSize 0 is SPARTA013 at batchSize', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    batchSize: 0,\n  })", 'SPARTA013', 'batchSize: 0', /from 1 to 10000/);
});

test('@SQS batchSize over 10 without a batching window is SPARTA013 naming maximumBatchingWindow', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    batchSize: 100,\n  })", 'SPARTA013', 'batchSize: 100', /needs a batching window/, /maximumBatchingWindow: 1/);
});

test('@SQS batchSize over 10 on a FIFO queue ARN is SPARTA013', () => {
  expectOne("  @SQS({\n    queue: 'arn:aws:sqs:us-east-1:123456789012:orders.fifo',\n    batchSize: 20,\n  })", 'SPARTA013', 'batchSize: 20', /FIFO/);
});

test('@SQS maximumBatchingWindow on a queue declared FifoQueue is SPARTA013 at the window', () => {
  expectOne("  @SQS({\n    queue: Ref('Sequenced'),\n    maximumBatchingWindow: 5,\n  })", 'SPARTA013', 'maximumBatchingWindow: 5', /not supported for a FIFO queue/);
});

test('@SQS maximumBatchingWindow 301 is SPARTA013', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    maximumBatchingWindow: 301,\n  })", 'SPARTA013', 'maximumBatchingWindow: 301', /0 to 300 seconds/);
});

test('@SQS maxConcurrency 1 is SPARTA013 (Lambda takes 2 to 1000)', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    maxConcurrency: 1,\n  })", 'SPARTA013', 'maxConcurrency: 1', /from 2 to 1000/);
});

test('@SQS reportBatchItemFailures that is not a boolean is SPARTA013', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    reportBatchItemFailures: 'yes',\n  })", 'SPARTA013', "reportBatchItemFailures: 'yes'", /true or false/);
});

test('@SQS with six filter patterns is SPARTA013 (Lambda takes 5)', () => {
  const patterns = Array.from({ length: 6 }, (_, i) => `{ body: { kind: ['k${i}'] } }`).join(', ');
  expectOne(`  @SQS({\n    queue: Ref('Jobs'),\n    filterCriteria: [${patterns}],\n  })`, 'SPARTA013', 'filterCriteria', /6 patterns.*at most 5/);
});

test('@SQS filterCriteria that is not a list of objects is SPARTA013', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    filterCriteria: { body: { kind: ['resize'] } },\n  })", 'SPARTA013', 'filterCriteria', /non-empty list of event patterns/);
});

test('@SQS filterCriteria holding a Ref is SPARTA013: a pattern is a string CloudFormation does not resolve', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    filterCriteria: [{ eventSourceARN: [Ref('Jobs')] }],\n  })", 'SPARTA013', 'filterCriteria', /Ref\/GetAtt\/Sub/);
});

test('@SQS with an unknown option is SPARTA013 listing the allowed ones', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    batchsize: 5,\n  })", 'SPARTA013', 'batchsize', /no option `batchsize`/, /allowed: queue, maxConcurrency, batchSize/);
});

test("@SQS startingPosition is SPARTA013 saying it belongs to the stream sources", () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    startingPosition: 'LATEST',\n  })", 'SPARTA013', 'startingPosition', /belongs to @DynamoDBStream and @Kinesis/, /a queue has no position/);
});

test('@SQS bisectBatchOnFunctionError is SPARTA013 pointing to reportBatchItemFailures', () => {
  expectOne("  @SQS({\n    queue: Ref('Jobs'),\n    bisectBatchOnFunctionError: true,\n  })", 'SPARTA013', 'bisectBatchOnFunctionError', /belongs to/, /reportBatchItemFailures/);
});

test('@SQS with a malformed queue ARN is SPARTA025', () => {
  expectOne("  @SQS({\n    queue: 'arn:aws:sns:us-east-1:123456789012:jobs',\n  })", 'SPARTA025', "queue: 'arn", /not an SQS queue ARN/);
});

test("@SQS GetAtt of the queue's QueueName is SPARTA013: Lambda needs its Arn", () => {
  expectOne("  @SQS({\n    queue: GetAtt('Jobs', 'QueueName'),\n  })", 'SPARTA013', 'queue: GetAtt', /is not an SQS queue ARN/, /GetAtt\('Jobs', 'Arn'\)/);
});

test('@SQS on a topic @Resource is SPARTA032 at queue', () => {
  expectOne("  @SQS({\n    queue: Ref('Alerts'),\n  })", 'SPARTA032', "queue: Ref('Alerts')", /AWS::SNS::Topic/, /AWS::SQS::Queue/);
});

// ---- @DynamoDBStream

test('@DynamoDBStream on a table whose @Resource has no StreamSpecification is SPARTA030 at table, showing the property to add', () => {
  expectOne(
    "  @DynamoDBStream({\n    table: Ref('Plain'),\n    startingPosition: 'LATEST',\n  })",
    'SPARTA030',
    "table: Ref('Plain')",
    /Plain.*no StreamSpecification/,
    /StreamSpecification: \{ StreamViewType: 'NEW_AND_OLD_IMAGES' \}/,
  );
});

test('@DynamoDBStream without startingPosition is SPARTA013 at the decorator', () => {
  expectOne("  @DynamoDBStream({ table: Ref('Orders') })", 'SPARTA013', '@DynamoDBStream', /needs `startingPosition`/, /LATEST/);
});

test("@DynamoDBStream startingPosition 'AT_TIMESTAMP' is SPARTA013 (a Kinesis position)", () => {
  expectOne("  @DynamoDBStream({\n    table: Ref('Orders'),\n    startingPosition: 'AT_TIMESTAMP',\n  })", 'SPARTA013', 'startingPosition', /'TRIM_HORIZON', 'LATEST'/);
});

test('@DynamoDBStream retryAttempts -2 is SPARTA013 (-1 to 10000)', () => {
  expectOne("  @DynamoDBStream({\n    table: Ref('Orders'),\n    startingPosition: 'LATEST',\n    retryAttempts: -2,\n  })", 'SPARTA013', 'retryAttempts', /from -1 to 10000/);
});

test('@DynamoDBStream maximumRecordAge 30 is SPARTA013 (-1 or 60 to 604800)', () => {
  expectOne("  @DynamoDBStream({\n    table: Ref('Orders'),\n    startingPosition: 'LATEST',\n    maximumRecordAge: 30,\n  })", 'SPARTA013', 'maximumRecordAge', /-1 .* or a whole number from 60 to 604800/);
});

test('@DynamoDBStream parallelizationFactor 11 is SPARTA013 (1 to 10)', () => {
  expectOne("  @DynamoDBStream({\n    table: Ref('Orders'),\n    startingPosition: 'LATEST',\n    parallelizationFactor: 11,\n  })", 'SPARTA013', 'parallelizationFactor', /from 1 to 10,/);
});

test('@DynamoDBStream maxConcurrency is SPARTA013 saying it belongs to @SQS', () => {
  expectOne("  @DynamoDBStream({\n    table: Ref('Orders'),\n    startingPosition: 'LATEST',\n    maxConcurrency: 5,\n  })", 'SPARTA013', 'maxConcurrency', /belongs to @SQS/, /parallelizationFactor/);
});

test('@DynamoDBStream with a table ARN (not its stream) is SPARTA025', () => {
  expectOne("  @DynamoDBStream({\n    table: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',\n    startingPosition: 'LATEST',\n  })", 'SPARTA025', "table: 'arn", /not a DynamoDB stream ARN/, /a table ARN is not a stream ARN/);
});

test("@DynamoDBStream GetAtt of the table's Arn is SPARTA013: Lambda reads its StreamArn", () => {
  expectOne("  @DynamoDBStream({\n    table: GetAtt('Orders', 'Arn'),\n    startingPosition: 'LATEST',\n  })", 'SPARTA013', 'table: GetAtt', /not a DynamoDB stream ARN/, /StreamArn/);
});

test('@DynamoDBStream on a queue @Resource is SPARTA032', () => {
  expectOne("  @DynamoDBStream({\n    table: Ref('Jobs'),\n    startingPosition: 'LATEST',\n  })", 'SPARTA032', "table: Ref('Jobs')", /AWS::SQS::Queue/, /AWS::DynamoDB::Table/);
});

// ---- @Kinesis

test("@Kinesis 'AT_TIMESTAMP' without startingPositionTimestamp is SPARTA013 at startingPosition", () => {
  expectOne("  @Kinesis({\n    stream: Ref('Clicks'),\n    startingPosition: 'AT_TIMESTAMP',\n  })", 'SPARTA013', 'startingPosition', /needs `startingPositionTimestamp`/);
});

test("@Kinesis startingPositionTimestamp with 'LATEST' is SPARTA013", () => {
  expectOne("  @Kinesis({\n    stream: Ref('Clicks'),\n    startingPosition: 'LATEST',\n    startingPositionTimestamp: 1767225600,\n  })", 'SPARTA013', 'startingPositionTimestamp', /only with startingPosition 'AT_TIMESTAMP'/);
});

test('@Kinesis startingPositionTimestamp that is no time is SPARTA013', () => {
  expectOne("  @Kinesis({\n    stream: Ref('Clicks'),\n    startingPosition: 'AT_TIMESTAMP',\n    startingPositionTimestamp: 'yesterday',\n  })", 'SPARTA013', 'startingPositionTimestamp', /Unix seconds or an ISO 8601 time/);
});

test('@Kinesis batchSize 10001 is SPARTA013', () => {
  expectOne("  @Kinesis({\n    stream: Ref('Clicks'),\n    startingPosition: 'LATEST',\n    batchSize: 10001,\n  })", 'SPARTA013', 'batchSize', /from 1 to 10000/);
});

test('@Kinesis with a malformed stream ARN is SPARTA025', () => {
  expectOne("  @Kinesis({\n    stream: 'arn:aws:kinesis:us-east-1:123456789012:clicks',\n    startingPosition: 'LATEST',\n  })", 'SPARTA025', "stream: 'arn", /not a Kinesis stream ARN/);
});

test('@Kinesis on a table @Resource is SPARTA032', () => {
  expectOne("  @Kinesis({\n    stream: Ref('Orders'),\n    startingPosition: 'LATEST',\n  })", 'SPARTA032', "stream: Ref('Orders')", /AWS::DynamoDB::Table/, /AWS::Kinesis::Stream/);
});

test('the issue\'s three decorators, valid, give a manifest and no diagnostic', () => {
  const { result } = analyze(
    [
      "  @SQS({ queue: Ref('Jobs'), batchSize: 10, maximumBatchingWindow: 5, reportBatchItemFailures: true, maxConcurrency: 5, filterCriteria: [{ body: { kind: ['resize'] } }] })",
      "  @DynamoDBStream({ table: Ref('Orders'), startingPosition: 'LATEST', batchSize: 100, retryAttempts: 2, bisectBatchOnFunctionError: true, reportBatchItemFailures: true })",
      "  @Kinesis({ stream: Ref('Clicks'), startingPosition: 'TRIM_HORIZON', batchSize: 100, parallelizationFactor: 2 })",
    ].join('\n'),
  );
  assert.equal(result.diagnostics, []);
  assert.equal(result.manifest?.services[0].functions[0].events.map((event) => event.kind), ['sqs', 'dynamodb', 'kinesis']);
});

test.run();
