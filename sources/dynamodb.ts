import { randomUUID } from 'node:crypto';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { Expression, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import {
  ARN_PREFIX,
  checkPollerKeys,
  describePoller,
  eventSourceMapping,
  POLLER_KEYS,
  pollerDetails,
  readPollerOptions,
  readStreamOptions,
  readTarget,
  STREAM_KEYS,
  streamProperties,
  type StreamPollerFields,
  type StreamPollerOptions,
  readStartingPosition,
} from './event-source-mapping';
import { arnOf, declaredTarget } from './targets';
import type { EventSource, OptionChecker, Validated } from './types';

// `@DynamoDBStream`: Lambda reads the table's stream shard by shard and
// invokes the function with batches of item changes.

export type DynamoDBStartingPosition = 'TRIM_HORIZON' | 'LATEST';

export interface DynamoDBStreamOptions extends StreamPollerOptions {
  /** `Ref` of a table @Resource with a StreamSpecification (sparta takes its `StreamArn`), or the stream's ARN. */
  table: Expression;
  /** Where a new mapping starts reading: the oldest record kept (24 hours) or the next one written. */
  startingPosition: DynamoDBStartingPosition;
}

export interface DynamoDBEventManifest extends StreamPollerFields {
  kind: 'dynamodb';
  table: Expression;
  startingPosition: DynamoDBStartingPosition;
  source: SourceLocation;
}

const WHAT = '@DynamoDBStream';
/** `arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>`: a stream, not the table. */
export const TABLE_STREAM_ARN = new RegExp(`${ARN_PREFIX('dynamodb')}table/[A-Za-z0-9_.-]{3,255}/stream/[^/\\s]+$`);
/** What Lambda's poller calls on the stream. */
export const DYNAMODB_STREAM_ACTIONS = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'];
/**
 * ListStreams authorizes no resource type (the Service Authorization
 * Reference lists none; AWSLambdaDynamoDBExecutionRole and CDK's
 * grantTableListStreams grant it on `*`): scoped to the stream it would
 * grant nothing. It lists stream ARNs, and reads no record.
 */
export const DYNAMODB_LIST_ACTIONS = ['dynamodb:ListStreams'];
const POSITIONS: readonly DynamoDBStartingPosition[] = ['TRIM_HORIZON', 'LATEST'];
const TABLE_TYPES = ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'];

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<DynamoDBEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  checkPollerKeys(options, ['table', ...STREAM_KEYS, ...POLLER_KEYS], c, WHAT);
  const table = readTarget(options, 'table', WHAT, c, {
    pattern: TABLE_STREAM_ARN,
    kind: 'a DynamoDB stream',
    example: 'arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label> (a table ARN is not a stream ARN)',
    attribute: 'StreamArn',
    hint: "for example @DynamoDBStream({ table: Ref('Orders'), startingPosition: 'LATEST' })",
  });
  let ok = true;
  const startingPosition = readStartingPosition(options, c, WHAT, POSITIONS, "'LATEST' reads what is written from now on, 'TRIM_HORIZON' also the last 24 hours");
  if (!startingPosition) ok = false;
  const result: Validated<DynamoDBEventManifest> = { kind: 'dynamodb', table: table ?? '', startingPosition: startingPosition ?? 'LATEST' };
  if (!readPollerOptions(options, c, WHAT, result)) ok = false;
  if (!readStreamOptions(options, c, WHAT, result)) ok = false;
  return table && ok ? result : undefined;
}

export const dynamoDBStream: EventSource<DynamoDBEventManifest> = {
  decorator: 'DynamoDBStream',
  kinds: ['dynamodb'],
  validate,
  checkInService(event, service, c) {
    const table = declaredTarget(event.table, service, c, { key: 'table', what: WHAT, types: TABLE_TYPES });
    if (!table) return;
    const stream = table.declaration.Properties?.StreamSpecification;
    const viewType = stream && typeof stream === 'object' && !Array.isArray(stream) ? stream.StreamViewType : undefined;
    if (typeof viewType === 'string' && viewType.length > 0) return;
    c.fail(
      DiagnosticCode.STREAM_NOT_ENABLED,
      'table',
      `${WHAT} \`table\` names ${table.logicalId}, whose @Resource has no stream: its Properties have no StreamSpecification with a StreamViewType`,
      `add to ${table.logicalId}'s Properties: StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } (or NEW_IMAGE, OLD_IMAGE, KEYS_ONLY)`,
    );
  },
  // Lambda allows one mapping per stream and function, so the stream
  // identifies it; a new batch size updates it in place.
  idPart: 'TableStream',
  identity: (event) => arnOf(event.table, 'StreamArn'),
  template(event, context) {
    const arn = arnOf(event.table, 'StreamArn');
    return {
      resources: { [context.id]: eventSourceMapping(event, arn, context, streamProperties(event)) },
      privileges: [
        { Effect: 'Allow', Action: [...DYNAMODB_STREAM_ACTIONS], Resource: arn },
        { Effect: 'Allow', Action: [...DYNAMODB_LIST_ACTIONS], Resource: '*' },
      ],
    };
  },
  // A handler fed by several tables tells them apart by eventSourceARN, the stream's.
  references: (event) => [arnOf(event.table, 'StreamArn') as Expression],
  describe: (event) => describePoller('dynamodb', event.table, event),
  details: (event) => pollerDetails(event),
  edge: (event) => ({ from: event.table, label: 'stream' }),
  samples: {
    dynamodb: {
      sampleValues: (event, { resolve }) => ({ stream: resolve(arnOf(event.table, 'StreamArn') as Expression) }),
      decorator: '@DynamoDBStream({ table })',
      typeName: 'DynamoDBStreamEvent',
      create({ region, account, now, values }): DynamoDBStreamEvent {
        const streamArn = values.stream ?? `arn:aws:dynamodb:${region}:${account}:table/hello-sparta-Orders/stream/2026-01-01T00:00:00.000`;
        const id = values.id ?? 'order-1';
        const seconds = Math.floor(now.getTime() / 1000);
        return {
          Records: [
            {
              eventID: randomUUID().replace(/-/g, ''),
              eventName: 'MODIFY',
              eventVersion: '1.1',
              eventSource: 'aws:dynamodb',
              awsRegion: region,
              dynamodb: {
                ApproximateCreationDateTime: seconds,
                Keys: { pk: { S: id } },
                NewImage: { pk: { S: id }, status: { S: 'shipped' }, total: { N: '42.5' } },
                OldImage: { pk: { S: id }, status: { S: 'paid' }, total: { N: '42.5' } },
                SequenceNumber: `${seconds}00000000000000001`,
                SizeBytes: 59,
                StreamViewType: 'NEW_AND_OLD_IMAGES',
              },
              eventSourceARN: streamArn,
            },
          ],
        };
      },
    },
  },
  eventTypes: ['DynamoDBStreamEvent'],
  handlerContract: (event) => ({ batchResponse: event.reportBatchItemFailures === true }),
};
