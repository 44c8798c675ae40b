import type { CfnResource, CfnValue } from '../cli/template/types';
import { stableStringify } from '../cli/template/serialize';
import type { Expression, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import { describeExpression } from './describe';
import type { Json, OptionChecker, SourceContext } from './types';

// What @SQS, @DynamoDBStream and @Kinesis share: each is an
// AWS::Lambda::EventSourceMapping, Lambda's own poller reading the queue or
// stream with the function's role. The options, their ranges (Lambda's
// CreateEventSourceMapping reference) and the mapping are one rule here.

/** An event filter pattern, as Lambda's filtering syntax writes it (`{ body: { kind: ['resize'] } }`). */
export type FilterPattern = { [key: string]: StaticValue };

/** What every poller takes besides its target. */
export interface PollerOptions {
  /** Records a batch: 1 to 10000 (SQS default 10, streams 100). */
  batchSize?: number;
  /** Seconds Lambda gathers records before it invokes: 0 to 300. */
  maximumBatchingWindow?: number;
  /** The handler returns `{ batchItemFailures }`: only the failed records are retried. */
  reportBatchItemFailures?: boolean;
  /** At most 5 patterns; a record that matches none is dropped, not delivered. */
  filterCriteria?: FilterPattern[];
  /** false creates the mapping paused. Default true. */
  enabled?: boolean;
}

/** What the stream pollers (@DynamoDBStream, @Kinesis) take besides. */
export interface StreamPollerOptions extends PollerOptions {
  /** Retries of a failed batch: -1 (until the record expires) to 10000. */
  retryAttempts?: number;
  /** Seconds after which a record is dropped: -1 (never) or 60 to 604800. */
  maximumRecordAge?: number;
  /** Split a failed batch in two and retry each half. */
  bisectBatchOnFunctionError?: boolean;
  /** Concurrent batches a shard: 1 to 10. */
  parallelizationFactor?: number;
}

/** The poller options as the manifest records them (the same names). */
export type PollerFields = PollerOptions;
export type StreamPollerFields = StreamPollerOptions & { startingPosition: string; startingPositionTimestamp?: number };

export const POLLER_KEYS = ['batchSize', 'maximumBatchingWindow', 'reportBatchItemFailures', 'filterCriteria', 'enabled'] as const;
export const STREAM_KEYS = ['startingPosition', 'retryAttempts', 'maximumRecordAge', 'bisectBatchOnFunctionError', 'parallelizationFactor'] as const;

/** Options of one poller that a user may carry over to another by mistake: whose they are. */
const OWNERS: Record<string, { owners: string; why: string }> = {
  queue: { owners: '@SQS', why: 'name the target with this decorator\'s own key' },
  table: { owners: '@DynamoDBStream', why: 'name the target with this decorator\'s own key' },
  stream: { owners: '@Kinesis', why: 'name the target with this decorator\'s own key' },
  maxConcurrency: { owners: '@SQS', why: 'a stream\'s concurrency is its shards times parallelizationFactor' },
  startingPosition: { owners: '@DynamoDBStream and @Kinesis', why: 'a queue has no position: Lambda reads what is in it' },
  startingPositionTimestamp: { owners: '@Kinesis', why: 'only a Kinesis stream starts AT_TIMESTAMP' },
  retryAttempts: { owners: '@DynamoDBStream and @Kinesis', why: 'a queue retries through its visibility timeout and redrive policy' },
  maximumRecordAge: { owners: '@DynamoDBStream and @Kinesis', why: 'a queue drops messages after its MessageRetentionPeriod' },
  bisectBatchOnFunctionError: { owners: '@DynamoDBStream and @Kinesis', why: 'for a queue, use reportBatchItemFailures' },
  parallelizationFactor: { owners: '@DynamoDBStream and @Kinesis', why: 'a queue scales by its own pollers (maxConcurrency caps them)' },
};

/**
 * Reports every key outside `allowed`: one that belongs to another poller
 * with whose it is and why it does not apply, any other as unknown.
 */
export function checkPollerKeys(options: Json, allowed: readonly string[], c: OptionChecker, what: string): void {
  const rest: Json = {};
  for (const [key, value] of Object.entries(options)) {
    const owner = allowed.includes(key) ? undefined : OWNERS[key];
    if (owner) c.fail(DiagnosticCode.INVALID_OPTION, key, `${what} has no option \`${key}\`: it belongs to ${owner.owners}`, owner.why);
    else rest[key] = value;
  }
  c.onlyKeys(rest, allowed, what);
}

/** Lambda's default quota of filters a mapping. */
export const MAX_FILTERS = 5;
/** CloudFormation's limit on one `Filter.Pattern`. */
const MAX_PATTERN_LENGTH = 4096;

/** An intrinsic anywhere inside (the transformer's isExpression, at any depth: a source may not load the transformer's compiler-bound checks). */
function holdsIntrinsic(value: StaticValue): boolean {
  if (Array.isArray(value)) return value.some(holdsIntrinsic);
  if (!value || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  if (keys.length === 1 && ['Ref', 'Fn::GetAtt', 'Fn::Sub'].includes(keys[0])) return true;
  return Object.values(value).some(holdsIntrinsic);
}

/** The shared options, checked; false when one is wrong (reported). */
export function readPollerOptions(options: Json, c: OptionChecker, what: string, out: PollerFields): boolean {
  let ok = true;
  const take = <K extends keyof PollerFields>(key: K, value: PollerFields[K] | undefined) => {
    if (value !== undefined) out[key] = value;
    else if (options[key] !== undefined) ok = false;
  };
  take('batchSize', c.integer(options, 'batchSize', what, 1, 10000));
  take('maximumBatchingWindow', c.integer(options, 'maximumBatchingWindow', what, 0, 300, DiagnosticCode.INVALID_OPTION, ' seconds'));
  take('reportBatchItemFailures', c.boolean(options, 'reportBatchItemFailures', what));
  take('enabled', c.boolean(options, 'enabled', what));
  const filters = options.filterCriteria;
  if (filters !== undefined) {
    const patterns = Array.isArray(filters) ? filters : undefined;
    if (!patterns || patterns.length === 0 || !patterns.every((p) => p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length > 0)) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'filterCriteria', `${what} \`filterCriteria\` must be a non-empty list of event patterns (objects)`, "for example [{ body: { kind: ['resize'] } }]");
      ok = false;
    } else if (patterns.length > MAX_FILTERS) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'filterCriteria', `${what} \`filterCriteria\` has ${patterns.length} patterns; Lambda takes at most ${MAX_FILTERS} a mapping`, 'merge patterns: the values of a key are alternatives (["a", "b"])');
      ok = false;
    } else if (patterns.some(holdsIntrinsic)) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'filterCriteria', `${what} \`filterCriteria\` holds a Ref/GetAtt/Sub: a pattern is a JSON string that CloudFormation does not resolve`, 'write the values out');
      ok = false;
    } else {
      const long = patterns.find((p) => stableStringify(p).length > MAX_PATTERN_LENGTH);
      if (long) {
        c.fail(DiagnosticCode.INVALID_OPTION, 'filterCriteria', `${what} \`filterCriteria\` has a pattern of ${stableStringify(long).length} characters; Lambda takes at most ${MAX_PATTERN_LENGTH}`);
        ok = false;
      } else out.filterCriteria = patterns as FilterPattern[];
    }
  }
  return ok;
}

/** The stream pollers' options (besides the starting position), checked; false when one is wrong. */
export function readStreamOptions(options: Json, c: OptionChecker, what: string, out: StreamPollerOptions): boolean {
  let ok = true;
  const take = <K extends keyof StreamPollerOptions>(key: K, value: StreamPollerOptions[K] | undefined) => {
    if (value !== undefined) out[key] = value;
    else if (options[key] !== undefined) ok = false;
  };
  take('retryAttempts', c.integer(options, 'retryAttempts', what, -1, 10000));
  take('bisectBatchOnFunctionError', c.boolean(options, 'bisectBatchOnFunctionError', what));
  take('parallelizationFactor', c.integer(options, 'parallelizationFactor', what, 1, 10));
  const age = options.maximumRecordAge;
  if (age !== undefined) {
    if (age === -1 || (typeof age === 'number' && Number.isInteger(age) && age >= 60 && age <= 604800)) out.maximumRecordAge = age;
    else {
      c.fail(DiagnosticCode.INVALID_OPTION, 'maximumRecordAge', `${what} \`maximumRecordAge\` must be -1 (keep until the record expires) or a whole number from 60 to 604800 seconds, not ${JSON.stringify(age)}`);
      ok = false;
    }
  }
  return ok;
}

/** The target as an expression, an ARN string of `shape`, and a GetAtt of `attribute` only. */
/** A stream's required `startingPosition`, one of `positions`; `hint` says what each means. */
export function readStartingPosition<P extends string>(options: Json, c: OptionChecker, what: string, positions: readonly P[], hint: string): P | undefined {
  const position = c.oneOf(options, 'startingPosition', what, positions);
  if (options.startingPosition === undefined) c.fail(DiagnosticCode.INVALID_OPTION, undefined, `${what} needs \`startingPosition\``, hint);
  return position;
}

export function readTarget(
  options: Json,
  key: string,
  what: string,
  c: OptionChecker,
  shape: { pattern: RegExp; kind: string; example: string; attribute: string; hint: string },
): Expression | undefined {
  if (options[key] === undefined) {
    c.fail(DiagnosticCode.INVALID_OPTION, undefined, `${what} needs \`${key}\``, shape.hint);
    return undefined;
  }
  const expression = c.expression(options[key], key, what);
  if (expression === undefined) return undefined;
  if (typeof expression !== 'string' && 'Fn::GetAtt' in expression && expression['Fn::GetAtt'][1] !== shape.attribute) {
    const [id, attribute] = expression['Fn::GetAtt'];
    c.fail(DiagnosticCode.INVALID_OPTION, key, `${what} \`${key}\` GetAtt(${id}.${attribute}) is not ${shape.kind} ARN`, `write Ref('${id}') or GetAtt('${id}', '${shape.attribute}')`);
    return undefined;
  }
  return c.arn(expression, key, what, shape);
}

/** The `AWS::Lambda::EventSourceMapping` Lambda's poller runs, with what is shared; `extra` adds a source's own properties. */
export function eventSourceMapping(event: PollerFields, eventSourceArn: CfnValue, context: SourceContext, extra: Record<string, CfnValue>): CfnResource {
  const properties: Record<string, CfnValue> = { FunctionName: { Ref: context.target.functionId }, EventSourceArn: eventSourceArn };
  if (event.enabled !== undefined) properties.Enabled = event.enabled;
  if (event.batchSize !== undefined) properties.BatchSize = event.batchSize;
  if (event.maximumBatchingWindow !== undefined) properties.MaximumBatchingWindowInSeconds = event.maximumBatchingWindow;
  if (event.reportBatchItemFailures) properties.FunctionResponseTypes = ['ReportBatchItemFailures'];
  if (event.filterCriteria !== undefined) properties.FilterCriteria = { Filters: event.filterCriteria.map((pattern) => ({ Pattern: stableStringify(pattern) })) };
  Object.assign(properties, extra);
  const mapping: CfnResource = { Type: 'AWS::Lambda::EventSourceMapping', Properties: properties };
  // Lambda checks the role's permissions when it creates the mapping: the
  // role alone is not enough, its policy must be attached first.
  if (context.target.policyId !== undefined) mapping.DependsOn = [context.target.policyId];
  return mapping;
}

/** The stream pollers' own properties. */
export function streamProperties(event: StreamPollerFields): Record<string, CfnValue> {
  const properties: Record<string, CfnValue> = { StartingPosition: event.startingPosition };
  if (event.startingPositionTimestamp !== undefined) properties.StartingPositionTimestamp = event.startingPositionTimestamp;
  if (event.retryAttempts !== undefined) properties.MaximumRetryAttempts = event.retryAttempts;
  if (event.maximumRecordAge !== undefined) properties.MaximumRecordAgeInSeconds = event.maximumRecordAge;
  if (event.bisectBatchOnFunctionError !== undefined) properties.BisectBatchOnFunctionError = event.bisectBatchOnFunctionError;
  if (event.parallelizationFactor !== undefined) properties.ParallelizationFactor = event.parallelizationFactor;
  return properties;
}

/** explain's lines under the row: every option the manifest holds. */
export function pollerDetails(event: PollerFields & Partial<StreamPollerFields> & { maxConcurrency?: number }): string[] {
  const parts: string[] = [];
  if (event.startingPosition !== undefined) parts.push(`starting position ${event.startingPosition}`);
  if (event.startingPositionTimestamp !== undefined) parts.push(`from ${new Date(event.startingPositionTimestamp * 1000).toISOString()}`);
  if (event.batchSize !== undefined) parts.push(`batch size ${event.batchSize}`);
  if (event.maximumBatchingWindow !== undefined) parts.push(`batching window ${event.maximumBatchingWindow} s`);
  if (event.maxConcurrency !== undefined) parts.push(`max concurrency ${event.maxConcurrency}`);
  if (event.parallelizationFactor !== undefined) parts.push(`parallelization ${event.parallelizationFactor}`);
  if (event.retryAttempts !== undefined) parts.push(`retry attempts ${event.retryAttempts}`);
  if (event.maximumRecordAge !== undefined) parts.push(`maximum record age ${event.maximumRecordAge === -1 ? 'unlimited' : `${event.maximumRecordAge} s`}`);
  if (event.bisectBatchOnFunctionError) parts.push('bisect batch on error');
  if (event.reportBatchItemFailures) parts.push('reports batch item failures');
  if (event.enabled === false) parts.push('disabled');
  for (const pattern of event.filterCriteria ?? []) parts.push(`filter ${stableStringify(pattern)}`);
  return parts;
}

/** The EVENTS cell: `sqs Ref(Jobs)`, with `(filtered)` when patterns drop records. */
export function describePoller(kind: string, target: Expression, event: PollerFields): string {
  return `${kind} ${describeExpression(target)}${event.filterCriteria ? ' (filtered)' : ''}`;
}

/** A Unix time in seconds from a number or an ISO 8601 string; undefined when it is neither. */
export function unixSeconds(value: StaticValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  return undefined;
}

/** `arn:<partition>:<service>:<region>:<account>:` as every ARN pattern here starts. */
export const ARN_PREFIX = (service: string) => `^arn:aws[\\w-]*:${service}:[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}:`;
