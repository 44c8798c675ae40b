// A service whose functions spread over every source kind, as TypeScript a
// user would write: one class a function, one file a class. The template and
// provision benches both use it, so "every kind" means the same in each.
// Each kind is used as AWS allows it many times in one stack: S3 functions
// watch distinct prefixes (overlaps are SPARTA035), each logs function has a
// group of its own (two filters a group at most), each SES rule its own
// recipient, and the bus is named by a literal (moto answers a Ref'd bus 500).

export const SOURCES_SERVICE = 'bench-sources';
/** Created outside the stack: EventBridge rules on it name it literally. */
export const BENCH_BUS = 'bench-bus';

const KINDS = ['schedule', 'pattern', 'bus', 'sns', 'sqs', 'dynamodb', 'kinesis', 's3', 'logs', 'ses'] as const;

function decoratorOf(kind: (typeof KINDS)[number], i: number): string {
  switch (kind) {
    case 'schedule':
      return `@CloudWatchEvent({ schedule: 'rate(${i + 2} minutes)' })`;
    case 'pattern':
      return `@CloudWatchEvent({ pattern: { source: ['bench.${i}'] } })`;
    case 'bus':
      return `@CloudWatchEvent({ pattern: { source: ['bench.bus.${i}'] }, eventBus: '${BENCH_BUS}' })`;
    case 'sns':
      return "@SNS({ topic: Ref('Topic') })";
    case 'sqs':
      return "@SQS({ queue: Ref('Jobs'), batchSize: 10 })";
    case 'dynamodb':
      return "@DynamoDBStream({ table: Ref('Orders'), startingPosition: 'LATEST' })";
    case 'kinesis':
      return "@Kinesis({ stream: Ref('Clicks'), startingPosition: 'TRIM_HORIZON' })";
    case 's3':
      return `@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], prefix: 'in-${i}/' })`;
    case 'logs':
      return `@CloudWatchLogs({ logGroup: Ref('Logs${i}'), filterPattern: 'ERROR' })`;
    case 'ses':
      return `@SES({ ruleSet: Ref('Inbound'), recipients: ['in-${i}@example.com'] })`;
  }
}

const RESOURCES = `@Resource('Topic', { Type: 'AWS::SNS::Topic' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } })
@Resource('Orders', { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], StreamSpecification: { StreamViewType: 'NEW_IMAGE' } } })
@Resource('Clicks', { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } })
@Resource('Uploads', { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'bench-sources-uploads' } })
@Resource('Inbound', { Type: 'AWS::SES::ReceiptRuleSet' })`;

/**
 * `count` functions, function `i` on source kind `i mod 10`; `version(i)` is
 * what function `i` returns (change one to change one archive).
 */
export function sourcesServiceFiles(count: number, version: (index: number) => string = () => 'v1'): Record<string, string> {
  const files: Record<string, string> = {};
  const logGroups: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length];
    if (kind === 'logs') logGroups.push(`@Resource('Logs${i}', { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 1 } })`);
    const name = `Task${String(i).padStart(3, '0')}`;
    files[`src/${name.toLowerCase()}.ts`] = `import { CloudWatchEvent, CloudWatchLogs, DynamoDBStream, Kinesis, Lambda, Ref, S3, Service, SES, SNS, SQS } from 'sparta';

@Service({ name: '${SOURCES_SERVICE}' })
export class ${name} {
  @Lambda()
  ${decoratorOf(kind, i)}
  run(event: unknown) {
    return { task: ${i}, version: ${JSON.stringify(version(i))}, batchItemFailures: [], seen: event !== undefined };
  }
}
`;
  }
  // The resources on a class of their own, so a function's file is its code alone.
  files['src/resources.ts'] = `import { Resource, Service } from 'sparta';

@Service({ name: '${SOURCES_SERVICE}' })
${RESOURCES}
${logGroups.join('\n')}
export class Resources {}
`;
  return files;
}
