import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { functionSample } from '../../cli/events';
import { sampleEvent } from '../../cli/events';
import { analyzeService } from '../helpers/inline-project';

// `sparta event TYPE --function F` for each source beyond SNS and schedules:
// the values F's own source gives its sample. Expected names follow the local
// placeholders `sparta invoke` gives discover(): account 123456789012, and a
// resource CloudFormation names is `<stack>-<LogicalId>` (a bucket's in lower case).

const PIPE = `
@Service({ name: 'pipe' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue' })
@Resource('Orders', { Type: 'AWS::DynamoDB::Table', Properties: { StreamSpecification: { StreamViewType: 'NEW_IMAGE' }, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } })
@Resource('Clicks', { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } })
@Resource('Uploads', { Type: 'AWS::S3::Bucket' })
@Resource('AppLogs', { Type: 'AWS::Logs::LogGroup' })
@Resource('Inbound', { Type: 'AWS::SES::ReceiptRuleSet' })
export class Pipe {
  @Lambda() @SQS({ queue: Ref('Jobs') }) onJob() {}
  @Lambda() @DynamoDBStream({ table: Ref('Orders'), startingPosition: 'LATEST' }) onOrder() {}
  @Lambda() @Kinesis({ stream: Ref('Clicks'), startingPosition: 'TRIM_HORIZON' }) onClick() {}
  @Lambda() @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'] }) onUpload() {}
  @Lambda() @CloudWatchLogs({ logGroup: Ref('AppLogs'), filterPattern: 'ERROR' }) onError() {}
  @Lambda() @SES({ ruleSet: Ref('Inbound'), recipients: ['orders@example.com'] }) onMail() {}
  @Lambda() @CloudWatchEvent({ pattern: { source: ['shop.orders'], 'detail-type': ['Order Placed', 'Order Paid'] } }) onEvent() {}
  @Lambda() @CloudWatchEvent({ pattern: { source: [{ prefix: 'shop.' }] } }) onAnyShop() {}
}
`;

const analysis = analyzeService(PIPE);
const service = () => structuredClone(analysis.manifest!.services[0]);

test('the inline service analyses cleanly', () => {
  assert.equal(analysis.diagnostics, []);
});

test("sqs: the function's queue, by its ARN (a queue's Ref is its URL)", () => {
  assert.equal(functionSample(service(), 'onJob', 'sqs', 'us-east-1').values, { queue: 'arn:aws:sqs:us-east-1:123456789012:pipe-Jobs' });
});

test("dynamodb: the table's stream ARN", () => {
  assert.equal(functionSample(service(), 'onOrder', 'dynamodb', 'us-east-1').values, { stream: 'arn:aws:dynamodb:us-east-1:123456789012:table/pipe-Orders/stream/2026-01-01T00:00:00.000' });
});

test("kinesis: the stream's ARN", () => {
  assert.equal(functionSample(service(), 'onClick', 'kinesis', 'eu-west-1').values, { stream: 'arn:aws:kinesis:eu-west-1:123456789012:stream/pipe-Clicks' });
});

test("s3: the bucket's name, which the sample's records carry", () => {
  const { values } = functionSample(service(), 'onUpload', 's3', 'us-east-1');
  assert.equal(values, { bucket: 'pipe-uploads' });
  const [record] = (sampleEvent('s3', values) as { Records: Array<{ s3: { bucket: { name: string; arn: string } } }> }).Records;
  assert.equal([record.s3.bucket.name, record.s3.bucket.arn], ['pipe-uploads', 'arn:aws:s3:::pipe-uploads']);
});

test("logs: the group's name", () => {
  assert.equal(functionSample(service(), 'onError', 'logs', 'us-east-1').values, { group: 'pipe-AppLogs' });
});

test("ses: the first recipient, and the function's own name in the Lambda action", () => {
  assert.equal(functionSample(service(), 'onMail', 'ses', 'us-east-1').values, { recipient: 'orders@example.com', function: 'pipe-Pipe-onMail' });
});

test("eventbridge: the pattern's first source and detail-type; a prefix match gives the sample's own", () => {
  assert.equal(functionSample(service(), 'onEvent', 'eventbridge', 'us-east-1').values, { source: 'shop.orders', detailType: 'Order Placed' });
  assert.equal(functionSample(service(), 'onAnyShop', 'eventbridge', 'us-east-1').values, {});
});

test.run();
