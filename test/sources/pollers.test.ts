import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate } from '../../cli/template';
import type { Template } from '../../cli/template/types';
import type { ServiceManifest } from '../../manifest/types';
import { analyzeSources, diagnosticLines } from '../helpers/inline-project';
import { discoverySub, expectedPolicy, fnId, getAtt, ref, sha8 } from '../template/expect';
import { artifactsFor } from '../template/services';

// @SQS, @DynamoDBStream and @Kinesis in the template: each an
// AWS::Lambda::EventSourceMapping and the poller's reads in the function's
// policy. The expected resources are written out from Lambda's and
// CloudFormation's documentation, the IDs from README's scheme.

const test = suite('sources: the pollers in the template');

const IMPORTS = "import { Service, Resource, Lambda, SQS, DynamoDBStream, Kinesis, Ref, GetAtt } from 'sparta';\n";

const QUEUE = "@Resource('Jobs', { Type: 'AWS::SQS::Queue' })";
const TABLE = `@Resource('Orders', { Type: 'AWS::DynamoDB::Table', Properties: {
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
} })`;
const STREAM = "@Resource('Clicks', { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } })";

/** The service `shop` of one class `Worker` with `members` (its resources come from `resources`). */
function service(resources: string[], members: string): ServiceManifest {
  const source = `${IMPORTS}@Service({ name: 'shop' })\n${resources.join('\n')}\nexport class Worker {\n${members}\n}\n`;
  const result = analyzeSources({ 'src/worker.ts': source });
  if (!result.manifest) throw new Error(diagnosticLines(result).join('\n'));
  return result.manifest.services[0];
}

const templates = new Map<string, Template>();

/** One analysis a distinct source (each costs a TypeScript program); a copy, so no test sees another's edits. */
function templateOf(resources: string[], members: string): Template {
  const key = JSON.stringify([resources, members]);
  if (!templates.has(key)) {
    const manifest = service(resources, members);
    templates.set(key, marshalTemplate(manifest, artifactsFor(manifest)));
  }
  return structuredClone(templates.get(key)!);
}

const RESIZE = fnId('shop', 'WorkerResize', 'Worker', 'resize');
const SYNC = fnId('shop', 'WorkerSync', 'Worker', 'sync');
const TRACK = fnId('shop', 'WorkerTrack', 'Worker', 'track');
const JOBS_MAPPING = `${RESIZE}Queue${sha8('{"Fn::GetAtt":["Jobs","Arn"]}')}`;
const ORDERS_MAPPING = `${SYNC}TableStream${sha8('{"Fn::GetAtt":["Orders","StreamArn"]}')}`;
const CLICKS_MAPPING = `${TRACK}Stream${sha8('{"Fn::GetAtt":["Clicks","Arn"]}')}`;

const ISSUE_SQS = `  @Lambda()
  @SQS({ queue: Ref('Jobs'), batchSize: 10, maximumBatchingWindow: 5, reportBatchItemFailures: true, maxConcurrency: 5, filterCriteria: [{ body: { kind: ['resize'] } }] })
  resize() { return { batchItemFailures: [] }; }`;
const ISSUE_DYNAMODB = `  @Lambda()
  @DynamoDBStream({ table: Ref('Orders'), startingPosition: 'LATEST', batchSize: 100, retryAttempts: 2, bisectBatchOnFunctionError: true, reportBatchItemFailures: true })
  sync() { return { batchItemFailures: [] }; }`;
const ISSUE_KINESIS = `  @Lambda()
  @Kinesis({ stream: Ref('Clicks'), startingPosition: 'TRIM_HORIZON', batchSize: 100, parallelizationFactor: 2 })
  track() {}`;

test("@SQS is an event source mapping on the queue's ARN with the batch, window, response type, concurrency and filter", () => {
  const template = templateOf([QUEUE], ISSUE_SQS);
  assert.equal(template.Resources[JOBS_MAPPING], {
    Type: 'AWS::Lambda::EventSourceMapping',
    DependsOn: [`${RESIZE}Policy`],
    Properties: {
      FunctionName: ref(RESIZE),
      EventSourceArn: getAtt('Jobs', 'Arn'),
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"body":{"kind":["resize"]}}' }] },
      ScalingConfig: { MaximumConcurrency: 5 },
    },
  });
});

test("@SQS gives the function's policy ReceiveMessage, DeleteMessage, GetQueueAttributes and ChangeMessageVisibility on that queue only", () => {
  const template = templateOf([QUEUE], ISSUE_SQS);
  assert.equal(
    template.Resources[`${RESIZE}Policy`],
    expectedPolicy(RESIZE, 'shop-Worker-resize', [
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'], Resource: getAtt('Jobs', 'Arn') },
    ]),
  );
});

test("@DynamoDBStream is an event source mapping on the table's StreamArn with its position, batch, retries, bisect and response type", () => {
  const template = templateOf([TABLE], ISSUE_DYNAMODB);
  assert.equal(template.Resources[ORDERS_MAPPING], {
    Type: 'AWS::Lambda::EventSourceMapping',
    DependsOn: [`${SYNC}Policy`],
    Properties: {
      FunctionName: ref(SYNC),
      EventSourceArn: getAtt('Orders', 'StreamArn'),
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'LATEST',
      MaximumRetryAttempts: 2,
      BisectBatchOnFunctionError: true,
    },
  });
});

test('@DynamoDBStream gives the policy the stream reads on the stream, and ListStreams (which takes no resource) on *', () => {
  const template = templateOf([TABLE], ISSUE_DYNAMODB);
  assert.equal(
    template.Resources[`${SYNC}Policy`],
    expectedPolicy(SYNC, 'shop-Worker-sync', [
      { Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], Resource: getAtt('Orders', 'StreamArn') },
      { Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: '*' },
    ]),
  );
});

test("@Kinesis is an event source mapping on the stream's ARN with its position, batch and parallelization", () => {
  const template = templateOf([STREAM], ISSUE_KINESIS);
  assert.equal(template.Resources[CLICKS_MAPPING], {
    Type: 'AWS::Lambda::EventSourceMapping',
    DependsOn: [`${TRACK}Policy`],
    Properties: {
      FunctionName: ref(TRACK),
      EventSourceArn: getAtt('Clicks', 'Arn'),
      BatchSize: 100,
      StartingPosition: 'TRIM_HORIZON',
      ParallelizationFactor: 2,
    },
  });
});

test('@Kinesis gives the policy the six reads of a stream consumer on that stream only', () => {
  const template = templateOf([STREAM], ISSUE_KINESIS);
  assert.equal(
    template.Resources[`${TRACK}Policy`],
    expectedPolicy(TRACK, 'shop-Worker-track', [
      {
        Effect: 'Allow',
        Action: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards', 'kinesis:SubscribeToShard'],
        Resource: getAtt('Clicks', 'Arn'),
      },
    ]),
  );
});

test('@Kinesis AT_TIMESTAMP with an ISO time is StartingPositionTimestamp in Unix seconds; maximumRecordAge, enabled: false carry over', () => {
  const template = templateOf(
    [STREAM],
    `  @Lambda()
  @Kinesis({ stream: Ref('Clicks'), startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: '2026-01-01T00:00:00Z', maximumRecordAge: 3600, retryAttempts: -1, maximumBatchingWindow: 0, enabled: false })
  track() {}`,
  );
  assert.equal(template.Resources[CLICKS_MAPPING].Properties, {
    FunctionName: ref(TRACK),
    EventSourceArn: getAtt('Clicks', 'Arn'),
    Enabled: false,
    MaximumBatchingWindowInSeconds: 0,
    StartingPosition: 'AT_TIMESTAMP',
    StartingPositionTimestamp: 1767225600,
    MaximumRetryAttempts: -1,
    MaximumRecordAgeInSeconds: 3600,
  });
});

test('a queue ARN written out is the EventSourceArn and the privileges\' resource as written', () => {
  const arn = 'arn:aws:sqs:eu-west-1:123456789012:legacy-jobs';
  const template = templateOf([], `  @Lambda()\n  @SQS({ queue: '${arn}' })\n  resize() {}`);
  const mapping = `${RESIZE}Queue${sha8(JSON.stringify(arn))}`;
  assert.equal(template.Resources[mapping].Properties, { FunctionName: ref(RESIZE), EventSourceArn: arn });
  const statements = (template.Resources[`${RESIZE}Policy`].Properties!.PolicyDocument as { Statement: { Resource: unknown }[] }).Statement;
  assert.equal(statements[0].Resource, arn);
});

test('a function with its own role gets no policy, and its mapping no DependsOn', () => {
  const template = templateOf([QUEUE], `  @Lambda({ role: 'arn:aws:iam::123456789012:role/jobs' })\n  @SQS({ queue: Ref('Jobs') })\n  resize() {}`);
  assert.not.ok(`${RESIZE}Policy` in template.Resources);
  assert.equal(template.Resources[JOBS_MAPPING], { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: ref(RESIZE), EventSourceArn: getAtt('Jobs', 'Arn') } });
});

test('the mapping is named by its queue alone: a new batch size keeps its logical ID; Ref and GetAtt(Arn) of one queue are the same mapping', () => {
  const ids = (decorator: string) => Object.keys(templateOf([QUEUE], `  @Lambda()\n  ${decorator}\n  resize() {}`).Resources).filter((id) => id.includes('Queue'));
  assert.equal(ids("@SQS({ queue: Ref('Jobs'), batchSize: 5 })"), [JOBS_MAPPING]);
  assert.equal(ids("@SQS({ queue: Ref('Jobs'), batchSize: 9, maxConcurrency: 3 })"), [JOBS_MAPPING]);
  assert.equal(ids("@SQS({ queue: GetAtt('Jobs', 'Arn') })"), [JOBS_MAPPING]);
});

test('two queues on one function are two mappings, each with its own ID', () => {
  const template = templateOf(
    [QUEUE, "@Resource('Retries', { Type: 'AWS::SQS::Queue' })"],
    `  @Lambda()\n  @SQS({ queue: Ref('Jobs') })\n  @SQS({ queue: Ref('Retries') })\n  resize() {}`,
  );
  const mappings = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::Lambda::EventSourceMapping').sort();
  assert.equal(mappings, [JOBS_MAPPING, `${RESIZE}Queue${sha8('{"Fn::GetAtt":["Retries","Arn"]}')}`].sort());
});

test('a filter pattern is key-sorted JSON: the same pattern written in another order gives the same bytes', () => {
  const pattern = (filter: string) =>
    (templateOf([QUEUE], `  @Lambda()\n  @SQS({ queue: Ref('Jobs'), filterCriteria: [${filter}] })\n  resize() {}`).Resources[JOBS_MAPPING].Properties!.FilterCriteria as { Filters: { Pattern: string }[] })
      .Filters[0].Pattern;
  const expected = '{"body":{"kind":["resize"],"size":[{"numeric":[">",100]}]}}';
  assert.is(pattern("{ body: { size: [{ numeric: ['>', 100] }], kind: ['resize'] } }"), expected);
  assert.is(pattern("{ body: { kind: ['resize'], size: [{ numeric: ['>', 100] }] } }"), expected);
});

test("the function's discovery document lists the queue, table and stream it reads, with the ARN attribute Lambda's records carry", () => {
  const template = templateOf([QUEUE, TABLE, STREAM], `${ISSUE_SQS}\n${ISSUE_DYNAMODB}\n${ISSUE_KINESIS}`);
  const discovery = (fn: string) => (template.Resources[fn].Properties!.Environment as { Variables: Record<string, unknown> }).Variables.SPARTA_DISCOVERY;
  assert.equal(discovery(RESIZE), discoverySub(RESIZE, { Jobs: { type: 'AWS::SQS::Queue', attributes: ['Arn'] } }));
  assert.equal(discovery(SYNC), discoverySub(SYNC, { Orders: { type: 'AWS::DynamoDB::Table', attributes: ['StreamArn'] } }));
  assert.equal(discovery(TRACK), discoverySub(TRACK, { Clicks: { type: 'AWS::Kinesis::Stream', attributes: ['Arn'] } }));
});

test.run();
