import { cloudWatchLogs, type LogsEventManifest } from './cloudwatch-logs';
import { dynamoDBStream, type DynamoDBEventManifest } from './dynamodb';
import { cloudWatchEvent, type RuleEventManifest } from './events-rule';
import { http } from './http';
import { kinesis, type KinesisEventManifest } from './kinesis';
import { s3, type S3EventManifest } from './s3';
import { ses, type SESEventManifest } from './ses';
import { sns, type SNSEventManifest } from './sns';
import { sqs, type SQSEventManifest } from './sqs';
import type { HttpRouteManifest } from './api';
import type { EventSource, SampleEvent } from './types';
import { webSocket } from './websocket';
import type { WebSocketRouteManifest } from './api';

// The one table of event sources. The transformer finds a decorator's
// validator here, the template stage its resources, explain its rendering,
// `sparta event` its samples: a new source is a module and a line below (and
// its decorator in runtime/decorators.ts, which must not load this table).

/** Every event a manifest's function may carry. */
export type EventSourceManifest =
  | RuleEventManifest
  | SNSEventManifest
  | SQSEventManifest
  | DynamoDBEventManifest
  | KinesisEventManifest
  | S3EventManifest
  | LogsEventManifest
  | SESEventManifest
  | WebSocketRouteManifest
  | HttpRouteManifest;

export const SOURCES: ReadonlyArray<EventSource<EventSourceManifest>> = [cloudWatchEvent, sns, sqs, dynamoDBStream, kinesis, s3, cloudWatchLogs, ses, http, webSocket];

const BY_KIND = new Map<string, EventSource<EventSourceManifest>>();
const BY_DECORATOR = new Map<string, EventSource<EventSourceManifest>>();
for (const source of SOURCES) {
  BY_DECORATOR.set(source.decorator, source);
  for (const kind of source.kinds) BY_KIND.set(kind, source);
}

/** The decorators that attach a source, by export name. */
export const SOURCE_DECORATORS: readonly string[] = SOURCES.map((source) => source.decorator);

export function sourceOfDecorator(decorator: string): EventSource<EventSourceManifest> | undefined {
  return BY_DECORATOR.get(decorator);
}

/** The source that owns a manifest event. */
export function sourceOf(event: EventSourceManifest): EventSource<EventSourceManifest> {
  const source = BY_KIND.get(event.kind);
  if (!source) throw new Error(`no event source owns kind ${JSON.stringify(event.kind)}`);
  return source;
}

/** Every `sparta event` sample, by name. */
export const SAMPLE_EVENTS: Record<string, SampleEvent> = Object.assign({}, ...SOURCES.map((source) => source.samples));

export type { EventSource, SampleEvent, SampleOptions } from './types';
