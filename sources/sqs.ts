import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent } from 'aws-lambda';
import type { CfnValue } from '../cli/template/types';
import { resolveLambdaSettings } from '../manifest/defaults';
import type { Expression, ResourceManifest, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import {
  ARN_PREFIX,
  checkPollerKeys,
  describePoller,
  eventSourceMapping,
  POLLER_KEYS,
  pollerDetails,
  readPollerOptions,
  readTarget,
  type PollerFields,
  type PollerOptions,
} from './event-source-mapping';
import { arnOf, declaredTarget } from './targets';
import type { EventSource, OptionChecker, ServiceView, Validated } from './types';

// `@SQS`: Lambda polls the queue and invokes the function with batches of
// messages; the function's role reads and deletes them.

export interface SQSOptions extends PollerOptions {
  /** `Ref` of a queue @Resource (its URL: sparta takes its `Arn`), or the queue's ARN. */
  queue: Expression;
  /** The most concurrent invocations this queue drives: 2 to 1000. */
  maxConcurrency?: number;
}

export interface SQSEventManifest extends PollerFields {
  kind: 'sqs';
  queue: Expression;
  maxConcurrency?: number;
  source: SourceLocation;
}

const WHAT = '@SQS';
/** `arn:<partition>:sqs:<region>:<account>:<queue>`: 1 to 80 characters, a FIFO queue's ending in `.fifo`. */
export const QUEUE_ARN = new RegExp(`${ARN_PREFIX('sqs')}(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\\.fifo)$`);
/** What Lambda's poller calls on the queue. */
export const SQS_POLLER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'];
/** Above this batch size Lambda needs a batching window; a FIFO queue's batches stop here. */
const SMALL_BATCH = 10;
/** An AWS::SQS::Queue's VisibilityTimeout when the declaration leaves it out. */
const DEFAULT_VISIBILITY_TIMEOUT = 30;
/** AWS's advice for a queue Lambda polls: a visibility timeout of six times the function's timeout. */
const RECOMMENDED_VISIBILITY_FACTOR = 6;

/** Lambda's rules that tie batch size, window and FIFO together. */
function checkBatching(event: Pick<SQSEventManifest, 'batchSize' | 'maximumBatchingWindow'>, fifo: boolean, c: OptionChecker): void {
  if (fifo && event.batchSize !== undefined && event.batchSize > SMALL_BATCH) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'batchSize', `${WHAT} \`batchSize\` ${event.batchSize} is over ${SMALL_BATCH}, the most a FIFO queue delivers in a batch`, `set batchSize to at most ${SMALL_BATCH}`);
  } else if (event.batchSize !== undefined && event.batchSize > SMALL_BATCH && (event.maximumBatchingWindow ?? 0) < 1) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'batchSize', `${WHAT} \`batchSize\` ${event.batchSize} needs a batching window: Lambda takes a batch over ${SMALL_BATCH} only with maximumBatchingWindow of 1 second or more`, 'add maximumBatchingWindow: 1 (seconds), or keep batchSize at 10 or less');
  }
  if (fifo && event.maximumBatchingWindow !== undefined) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'maximumBatchingWindow', `${WHAT} \`maximumBatchingWindow\` is not supported for a FIFO queue`, 'remove maximumBatchingWindow');
  }
}

/** The queue's visibility timeout in seconds, undefined when it is no literal (a Ref, a parameter). */
function visibilityTimeout(queue: ResourceManifest): number | undefined {
  const value = queue.declaration.Properties?.VisibilityTimeout;
  if (value === undefined) return DEFAULT_VISIBILITY_TIMEOUT;
  if (typeof value === 'number') return value;
  // CloudFormation takes an integer written as a string too.
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * CreateEventSourceMapping refuses a queue whose messages would become
 * visible again while the function still runs ("Queue visibility timeout: 30
 * seconds is less than Function timeout"), so the stack would fail at deploy.
 */
function checkVisibility(event: SQSEventManifest, queue: ResourceManifest, service: ServiceView, c: OptionChecker): void {
  const fn = service.functions.find((candidate) => candidate.events.includes(event));
  const visibility = visibilityTimeout(queue);
  if (!fn || visibility === undefined) return;
  const timeout = resolveLambdaSettings(fn.options).timeout;
  if (visibility >= timeout) return;
  const written = queue.declaration.Properties?.VisibilityTimeout === undefined ? ' (the default)' : '';
  c.fail(
    DiagnosticCode.QUEUE_VISIBILITY_TOO_SHORT,
    undefined,
    `${WHAT} on ${queue.logicalId}: the queue's VisibilityTimeout of ${visibility} seconds${written} is less than ${fn.id}'s timeout of ${timeout} seconds, and Lambda refuses to poll it`,
    `set VisibilityTimeout: ${timeout * RECOMMENDED_VISIBILITY_FACTOR} in ${queue.logicalId}'s Properties (AWS recommends six times the function's timeout), or lower the function's timeout`,
  );
}

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<SQSEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  checkPollerKeys(options, ['queue', 'maxConcurrency', ...POLLER_KEYS], c, WHAT);
  const queue = readTarget(options, 'queue', WHAT, c, {
    pattern: QUEUE_ARN,
    kind: 'an SQS queue',
    example: 'arn:aws:sqs:<region>:<account>:<queue>',
    attribute: 'Arn',
    hint: "for example @SQS({ queue: Ref('Jobs') })",
  });
  const result: Validated<SQSEventManifest> = { kind: 'sqs', queue: queue ?? '' };
  let ok = readPollerOptions(options, c, WHAT, result);
  const maxConcurrency = c.integer(options, 'maxConcurrency', WHAT, 2, 1000);
  if (maxConcurrency !== undefined) result.maxConcurrency = maxConcurrency;
  else if (options.maxConcurrency !== undefined) ok = false;
  if (!queue || !ok) return undefined;
  checkBatching(result, typeof queue === 'string' && queue.endsWith('.fifo'), c);
  return result;
}

export const sqs: EventSource<SQSEventManifest> = {
  decorator: 'SQS',
  kinds: ['sqs'],
  validate,
  checkInService(event, service, c) {
    const queue = declaredTarget(event.queue, service, c, { key: 'queue', what: WHAT, types: ['AWS::SQS::Queue'] });
    // An ARN string was checked by validate; a declared queue is FIFO by its property.
    if (!queue) return;
    if (queue.declaration.Properties?.FifoQueue === true) checkBatching(event, true, c);
    checkVisibility(event, queue, service, c);
  },
  // Lambda allows one mapping per queue and function, so the queue
  // identifies it; a new batch size or filter updates it in place.
  idPart: 'Queue',
  identity: (event) => arnOf(event.queue),
  template(event, context) {
    const arn = arnOf(event.queue);
    const extra: Record<string, CfnValue> = {};
    if (event.maxConcurrency !== undefined) extra.ScalingConfig = { MaximumConcurrency: event.maxConcurrency };
    return {
      resources: { [context.id]: eventSourceMapping(event, arn, context, extra) },
      privileges: [{ Effect: 'Allow', Action: [...SQS_POLLER_ACTIONS], Resource: arn }],
    };
  },
  // A handler fed by several queues tells them apart by eventSourceARN.
  references: (event) => [arnOf(event.queue) as Expression],
  describe: (event) => describePoller('sqs', event.queue, event),
  details: (event) => pollerDetails(event),
  edge: (event) => ({ from: event.queue, label: 'poll' }),
  samples: {
    sqs: {
      sampleValues: (event, { resolve }) => ({ queue: resolve(arnOf(event.queue) as Expression) }),
      decorator: '@SQS({ queue })',
      typeName: 'SQSEvent',
      create({ region, account, now, values }): SQSEvent {
        const queueArn = values.queue ?? `arn:aws:sqs:${region}:${account}:hello-sparta-Jobs`;
        const body = values.body ?? JSON.stringify({ kind: 'resize', image: 'incoming/cat.png' });
        const sent = String(now.getTime());
        return {
          Records: [
            {
              messageId: randomUUID(),
              receiptHandle: `AQEB${createHash('sha256').update(body + sent).digest('base64')}`,
              body,
              attributes: {
                ApproximateReceiveCount: '1',
                SentTimestamp: sent,
                SenderId: 'AIDAIENQZJOLO23YVJ4VO',
                ApproximateFirstReceiveTimestamp: sent,
              },
              messageAttributes: {},
              md5OfBody: createHash('md5').update(body).digest('hex'),
              eventSource: 'aws:sqs',
              eventSourceARN: queueArn,
              awsRegion: region,
            },
          ],
        };
      },
    },
  },
  eventTypes: ['SQSEvent'],
  handlerContract: (event) => ({ batchResponse: event.reportBatchItemFailures === true }),
};
