import type { KinesisStreamEvent } from 'aws-lambda';
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
  unixSeconds,
  type StreamPollerFields,
  type StreamPollerOptions,
  readStartingPosition,
} from './event-source-mapping';
import { arnOf, declaredTarget } from './targets';
import type { EventSource, OptionChecker, Validated } from './types';

// `@Kinesis`: Lambda reads the data stream shard by shard and invokes the
// function with batches of records.

export type KinesisStartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';

export interface KinesisOptions extends StreamPollerOptions {
  /** `Ref` of a stream @Resource (its name: sparta takes its `Arn`), or the stream's ARN. */
  stream: Expression;
  /** Where a new mapping starts reading; `AT_TIMESTAMP` needs `startingPositionTimestamp`. */
  startingPosition: KinesisStartingPosition;
  /** With `AT_TIMESTAMP`: Unix time in seconds, or an ISO 8601 string. */
  startingPositionTimestamp?: number | string;
}

export interface KinesisEventManifest extends StreamPollerFields {
  kind: 'kinesis';
  stream: Expression;
  startingPosition: KinesisStartingPosition;
  /** Unix time in seconds. */
  startingPositionTimestamp?: number;
  source: SourceLocation;
}

const WHAT = '@Kinesis';
/** `arn:<partition>:kinesis:<region>:<account>:stream/<name>`. */
export const KINESIS_STREAM_ARN = new RegExp(`${ARN_PREFIX('kinesis')}stream/[A-Za-z0-9_.-]{1,128}$`);
/**
 * What Lambda's poller calls on the stream. SubscribeToShard authorizes a
 * consumer ARN (enhanced fan-out), which sparta does not create; it is kept
 * on the stream as CDK's grantRead does, so a consumer added later by hand
 * on the same stream needs only the consumer's own grant.
 */
export const KINESIS_POLLER_ACTIONS = [
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
  'kinesis:SubscribeToShard',
];
const POSITIONS: readonly KinesisStartingPosition[] = ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'];

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<KinesisEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  checkPollerKeys(options, ['stream', 'startingPositionTimestamp', ...STREAM_KEYS, ...POLLER_KEYS], c, WHAT);
  const stream = readTarget(options, 'stream', WHAT, c, {
    pattern: KINESIS_STREAM_ARN,
    kind: 'a Kinesis stream',
    example: 'arn:aws:kinesis:<region>:<account>:stream/<name>',
    attribute: 'Arn',
    hint: "for example @Kinesis({ stream: Ref('Clicks'), startingPosition: 'TRIM_HORIZON' })",
  });
  let ok = true;
  const startingPosition = readStartingPosition(options, c, WHAT, POSITIONS, "'LATEST' reads what is written from now on, 'TRIM_HORIZON' everything the stream keeps, 'AT_TIMESTAMP' from startingPositionTimestamp");
  if (!startingPosition) ok = false;
  const result: Validated<KinesisEventManifest> = { kind: 'kinesis', stream: stream ?? '', startingPosition: startingPosition ?? 'LATEST' };
  const timestamp = options.startingPositionTimestamp;
  if (startingPosition === 'AT_TIMESTAMP' && timestamp === undefined) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'startingPosition', `${WHAT} \`startingPosition\` 'AT_TIMESTAMP' needs \`startingPositionTimestamp\``, "for example startingPositionTimestamp: '2026-01-01T00:00:00Z' (or Unix seconds)");
    ok = false;
  } else if (timestamp !== undefined && startingPosition !== undefined && startingPosition !== 'AT_TIMESTAMP') {
    c.fail(DiagnosticCode.INVALID_OPTION, 'startingPositionTimestamp', `${WHAT} \`startingPositionTimestamp\` applies only with startingPosition 'AT_TIMESTAMP', not '${startingPosition}'`, "set startingPosition: 'AT_TIMESTAMP', or remove the timestamp");
    ok = false;
  } else if (timestamp !== undefined) {
    const seconds = unixSeconds(timestamp);
    if (seconds === undefined) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'startingPositionTimestamp', `${WHAT} \`startingPositionTimestamp\` must be Unix seconds or an ISO 8601 time, not ${JSON.stringify(timestamp)}`, "for example '2026-01-01T00:00:00Z'");
      ok = false;
    } else result.startingPositionTimestamp = seconds;
  }
  if (!readPollerOptions(options, c, WHAT, result)) ok = false;
  if (!readStreamOptions(options, c, WHAT, result)) ok = false;
  return stream && ok ? result : undefined;
}

export const kinesis: EventSource<KinesisEventManifest> = {
  decorator: 'Kinesis',
  kinds: ['kinesis'],
  validate,
  checkInService(event, service, c) {
    declaredTarget(event.stream, service, c, { key: 'stream', what: WHAT, types: ['AWS::Kinesis::Stream'] });
  },
  // Lambda allows one mapping per stream and function, so the stream
  // identifies it; a new batch size or parallelization updates it in place.
  idPart: 'Stream',
  identity: (event) => arnOf(event.stream),
  template(event, context) {
    const arn = arnOf(event.stream);
    return {
      resources: { [context.id]: eventSourceMapping(event, arn, context, streamProperties(event)) },
      privileges: [{ Effect: 'Allow', Action: [...KINESIS_POLLER_ACTIONS], Resource: arn }],
    };
  },
  // A handler fed by several streams tells them apart by eventSourceARN.
  references: (event) => [arnOf(event.stream) as Expression],
  describe: (event) => describePoller('kinesis', event.stream, event),
  details: (event) => pollerDetails(event),
  edge: (event) => ({ from: event.stream, label: 'stream' }),
  samples: {
    kinesis: {
      sampleValues: (event, { resolve }) => ({ stream: resolve(arnOf(event.stream) as Expression) }),
      decorator: '@Kinesis({ stream })',
      typeName: 'KinesisStreamEvent',
      create({ region, account, now, values }): KinesisStreamEvent {
        const streamArn = values.stream ?? `arn:aws:kinesis:${region}:${account}:stream/hello-sparta-Clicks`;
        const data = values.data ?? JSON.stringify({ page: '/pricing', user: 'u-42' });
        const sequence = `4959${String(now.getTime()).padStart(16, '0')}0000000000000000000001`;
        return {
          Records: [
            {
              kinesis: {
                kinesisSchemaVersion: '1.0',
                partitionKey: values.partitionKey ?? 'u-42',
                sequenceNumber: sequence,
                data: Buffer.from(data).toString('base64'),
                approximateArrivalTimestamp: now.getTime() / 1000,
              },
              eventSource: 'aws:kinesis',
              eventVersion: '1.0',
              eventID: `shardId-000000000000:${sequence}`,
              eventName: 'aws:kinesis:record',
              invokeIdentityArn: `arn:aws:iam::${account}:role/hello-sparta-role`,
              awsRegion: region,
              eventSourceARN: streamArn,
            },
          ],
        };
      },
    },
  },
  eventTypes: ['KinesisStreamEvent'],
  handlerContract: (event) => ({ batchResponse: event.reportBatchItemFailures === true }),
};
