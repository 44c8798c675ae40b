import type { S3Event } from 'aws-lambda';
import type { CfnResource, CfnValue } from '../cli/template/types';
import type { Expression, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import { describeExpression } from './describe';
import { declaredTarget, referencedResource } from './targets';
import type { EventSource, Json, OptionChecker, ServiceView, Validated } from './types';

// `@S3`: the bucket's own notification configuration calls the function (one
// LambdaConfiguration an event type), and a permission lets S3 do it. S3
// notifications are a property of the bucket, so only a bucket the stack
// declares can carry them; an outside bucket needs a custom resource, which
// sparta does not have yet: EventBridge is the way there.

export interface S3Options {
  /** `Ref` of an `AWS::S3::Bucket` declared with `@Resource`. */
  bucket: Expression;
  /** S3 event types (`s3:ObjectCreated:*`, `s3:ObjectRemoved:Delete`, ...). */
  events: string[];
  /** Only keys that start with this. */
  prefix?: string;
  /** Only keys that end with this. */
  suffix?: string;
}

export interface S3EventManifest {
  kind: 's3';
  bucket: Expression;
  events: string[];
  prefix?: string;
  suffix?: string;
  source: SourceLocation;
}

export const S3_PRINCIPAL = 's3.amazonaws.com';
const BUCKET_TYPE = 'AWS::S3::Bucket';
const WHAT = '@S3';
/** S3's limit on a filter rule's value. */
const FILTER_VALUE_LENGTH = 1024;

/** The event types a notification may name (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html). */
export const S3_EVENT_TYPES = [
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:Replication:OperationNotTracked',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
] as const;

/** `s3:ObjectCreated:*` covers `s3:ObjectCreated:Put`: S3 counts the two as the same events. */
function eventsOverlap(a: string, b: string): boolean {
  const covers = (wide: string, narrow: string) => wide.endsWith(':*') && narrow.startsWith(wide.slice(0, -1));
  return a === b || covers(a, b) || covers(b, a);
}

/** A configuration as S3 compares them: its event type and key filter. */
interface Configuration {
  event: string;
  prefix?: string;
  suffix?: string;
  /** What it is, for messages. */
  origin: string;
}

/**
 * S3 refuses a bucket's notifications ("Configurations overlap") when two
 * share an event type and a key could match both: no prefix or one prefix
 * starting the other, and likewise for suffixes.
 */
function overlap(a: Configuration, b: Configuration): boolean {
  const prefixes = a.prefix === undefined || b.prefix === undefined || a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix);
  const suffixes = a.suffix === undefined || b.suffix === undefined || a.suffix.endsWith(b.suffix) || b.suffix.endsWith(a.suffix);
  return eventsOverlap(a.event, b.event) && prefixes && suffixes;
}

function configurations(event: Omit<S3EventManifest, 'source'>, origin: string): Configuration[] {
  return event.events.map((type) => ({ event: type, prefix: event.prefix, suffix: event.suffix, origin }));
}

/** The bucket's name, out of an ARN (`arn:aws:s3:::name`) or as written. */
function bucketName(text: string): string {
  return /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(text)?.[1] ?? text;
}

function notInStack(c: OptionChecker, bucket: Expression): void {
  const name = typeof bucket === 'string' ? bucketName(bucket) : '<bucket name>';
  c.fail(
    DiagnosticCode.BUCKET_NOT_IN_STACK,
    'bucket',
    `${WHAT} \`bucket\` ${describeExpression(bucket)} is not a bucket of this stack: S3 notifications are a property of the bucket, and sparta can only set them on a bucket it declares`,
    `declare the bucket with @Resource('Uploads', { Type: '${BUCKET_TYPE}' }) and write Ref('Uploads'); for a bucket outside the stack, turn on its EventBridge notifications and use @CloudWatchEvent({ pattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['${name}'] } } } })`,
  );
}

function keyFilter(options: Json, key: 'prefix' | 'suffix', c: OptionChecker): string | undefined {
  const value = c.string(options, key, WHAT);
  if (value === undefined) return undefined;
  if (value.length >= 1 && value.length <= FILTER_VALUE_LENGTH) return value;
  c.fail(DiagnosticCode.INVALID_OPTION, key, `${WHAT} \`${key}\` must be 1 to ${FILTER_VALUE_LENGTH} characters, not ${value.length}`, value.length === 0 ? `leave \`${key}\` out to match every key` : undefined);
  return undefined;
}

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<S3EventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  c.onlyKeys(options, ['bucket', 'events', 'prefix', 'suffix'], WHAT);
  let valid = true;
  const bucket = c.expression(options.bucket, 'bucket', WHAT);
  if (bucket === undefined) valid = false;
  else if (typeof bucket === 'string') {
    notInStack(c, bucket);
    valid = false;
  }
  if (options.events === undefined) {
    c.fail(DiagnosticCode.INVALID_OPTION, undefined, `${WHAT} needs \`events\`, the S3 event types that call the function`, "for example events: ['s3:ObjectCreated:*']");
    valid = false;
  }
  const events = c.stringList(options, 'events', WHAT);
  if (events === undefined) valid = false;
  else {
    events.forEach((type, index) => {
      if (!(S3_EVENT_TYPES as readonly string[]).includes(type)) {
        c.fail(DiagnosticCode.INVALID_OPTION, 'events', `${WHAT} event type ${JSON.stringify(type)} is not an S3 event type`, `one of ${S3_EVENT_TYPES.join(', ')}`);
        valid = false;
        return;
      }
      const earlier = events.slice(0, index).find((other) => eventsOverlap(other, type));
      if (earlier !== undefined) {
        c.fail(DiagnosticCode.INVALID_OPTION, 'events', `${WHAT} event type ${type} repeats ${earlier}: S3 refuses overlapping configurations`, earlier === type ? 'list it once' : `keep one of ${earlier} and ${type}`);
        valid = false;
      }
    });
  }
  const prefix = keyFilter(options, 'prefix', c);
  const suffix = keyFilter(options, 'suffix', c);
  if ((options.prefix !== undefined && prefix === undefined) || (options.suffix !== undefined && suffix === undefined)) valid = false;
  if (!valid) return undefined;
  const result: Validated<S3EventManifest> = { kind: 's3', bucket: bucket!, events: events! };
  if (prefix !== undefined) result.prefix = prefix;
  if (suffix !== undefined) result.suffix = suffix;
  return result;
}

function isJson(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The configurations the user wrote on the bucket themselves (Lambda, queue and topic ones: S3 compares them all). */
function declaredConfigurations(logicalId: string, notification: Json): Configuration[] {
  const found: Configuration[] = [];
  for (const list of ['LambdaConfigurations', 'QueueConfigurations', 'TopicConfigurations']) {
    const entries = notification[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (!isJson(entry) || typeof entry.Event !== 'string') return;
      const configuration: Configuration = { event: entry.Event, origin: `${logicalId}'s own ${list}[${index}]` };
      const rules = isJson(entry.Filter) && isJson(entry.Filter.S3Key) && Array.isArray(entry.Filter.S3Key.Rules) ? entry.Filter.S3Key.Rules : [];
      for (const rule of rules) {
        if (!isJson(rule) || typeof rule.Value !== 'string' || typeof rule.Name !== 'string') continue;
        if (rule.Name.toLowerCase() === 'prefix') configuration.prefix = rule.Value;
        if (rule.Name.toLowerCase() === 'suffix') configuration.suffix = rule.Value;
      }
      found.push(configuration);
    });
  }
  return found;
}

/** The @S3 events before `event` on the same bucket. */
function earlierOnBucket(event: S3EventManifest, logicalId: string, service: ServiceView): { event: S3EventManifest; functionId: string }[] {
  const functions = service.functions;
  const all = functions.flatMap((fn) => fn.events.filter((other): other is S3EventManifest => other.kind === 's3').map((other) => ({ event: other, functionId: fn.id })));
  const index = all.findIndex((entry) => entry.event === event);
  return (index < 0 ? all : all.slice(0, index)).filter((entry) => entry.event !== event && referencedResource(entry.event.bucket) === logicalId);
}

function checkInService(event: S3EventManifest, service: ServiceView, c: OptionChecker): void {
  const logicalId = referencedResource(event.bucket);
  if (logicalId === undefined || logicalId.includes('::')) {
    notInStack(c, event.bucket);
    return;
  }
  // A reference to nothing is the analysis' own SPARTA012.
  const bucket = declaredTarget(event.bucket, service, c, { key: 'bucket', what: WHAT, types: [BUCKET_TYPE] });
  if (!bucket) return;
  const notification = bucket.declaration.Properties?.NotificationConfiguration;
  if (notification !== undefined && (!isJson(notification) || (notification.LambdaConfigurations !== undefined && !Array.isArray(notification.LambdaConfigurations)))) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'bucket', `${logicalId}'s NotificationConfiguration must be an object whose LambdaConfigurations is a list, for ${WHAT} to add to it`, 'write the configurations out as literals');
    return;
  }
  const mine = configurations(event, `this ${WHAT}`);
  const others = [
    ...(isJson(notification) ? declaredConfigurations(logicalId, notification) : []),
    ...earlierOnBucket(event, logicalId, service).flatMap(({ event: other, functionId }) => configurations(other, `the ${WHAT} of ${functionId} at ${other.source.file}:${other.source.line}`)),
  ];
  for (const configuration of mine) {
    const clash = others.find((other) => overlap(configuration, other));
    if (!clash) continue;
    c.fail(
      DiagnosticCode.S3_NOTIFICATIONS_OVERLAP,
      undefined,
      `${WHAT} on ${logicalId} overlaps ${clash.origin} (${clash.event}${filterText(clash)}): S3 refuses the bucket's notifications ("Configurations overlap")`,
      'two notifications of one event type need prefixes or suffixes that no key matches both of (incoming/ and archive/, or .png and .jpg)',
    );
    return;
  }
}

function filterParts(configuration: { prefix?: string; suffix?: string }): string[] {
  const parts: string[] = [];
  if (configuration.prefix !== undefined) parts.push(`prefix ${JSON.stringify(configuration.prefix)}`);
  if (configuration.suffix !== undefined) parts.push(`suffix ${JSON.stringify(configuration.suffix)}`);
  return parts;
}

function filterText(configuration: { prefix?: string; suffix?: string }): string {
  return filterParts(configuration).map((part) => `, ${part}`).join('');
}

/**
 * The bucket's ARN without referring to the bucket, when its name is written
 * in its declaration. A Ref or GetAtt would make the permission wait for the
 * bucket, which waits for the permission.
 */
/** The bucket's written name as a `Fn::Sub` text (a literal, or a Sub that does not name the bucket itself), or undefined when CloudFormation generates it. */
function bucketNameText(logicalId: string, bucket: CfnResource): string | undefined {
  const name = bucket.Properties?.BucketName;
  if (typeof name === 'string') return name.replace(/\$\{/g, '${!');
  if (isJson(name) && typeof name['Fn::Sub'] === 'string' && !new RegExp(`\\$\\{${logicalId}[}.]`).test(name['Fn::Sub'])) return name['Fn::Sub'];
  return undefined;
}

function bucketArnFromName(logicalId: string, bucket: CfnResource): CfnValue | undefined {
  const name = bucketNameText(logicalId, bucket);
  return name === undefined ? undefined : { 'Fn::Sub': `arn:\${AWS::Partition}:s3:::${name}` };
}

function dependsOnList(resource: CfnResource): string[] {
  return resource.DependsOn === undefined ? [] : ([] as string[]).concat(resource.DependsOn);
}

export const s3: EventSource<S3EventManifest> = {
  decorator: 'S3',
  kinds: ['s3'],
  validate,
  checkInService,
  // The source's only resource is the permission, and it depends on the
  // bucket alone: new event types or key filters change the bucket's
  // notifications in place and keep the permission. Two @S3 of one function
  // on one bucket share it.
  idPart: 'S3',
  identity: (event) => referencedResource(event.bucket) ?? event.bucket,
  template(event, { id, target, resources, permission }) {
    const logicalId = referencedResource(event.bucket);
    const bucket = logicalId === undefined ? undefined : resources[logicalId];
    if (logicalId === undefined || !bucket) throw new Error(`${WHAT} names ${describeExpression(event.bucket)}, which is no bucket of the stack`);
    // The bucket is the template's own copy: amend it, keeping every
    // notification the user wrote (Sparta's Go version replaced them).
    const properties = (bucket.Properties ??= {});
    const notification = (properties.NotificationConfiguration ??= {}) as Record<string, CfnValue>;
    const lambdaConfigurations = (notification.LambdaConfigurations ??= []) as CfnValue[];
    const rules: CfnValue[] = [];
    if (event.prefix !== undefined) rules.push({ Name: 'prefix', Value: event.prefix });
    if (event.suffix !== undefined) rules.push({ Name: 'suffix', Value: event.suffix });
    for (const type of event.events) {
      const configuration: Record<string, CfnValue> = { Event: type, Function: target.functionArn };
      if (rules.length > 0) configuration.Filter = { S3Key: { Rules: rules } };
      lambdaConfigurations.push(configuration);
    }
    // S3 tests the destination when it saves the notifications, so the
    // permission comes first (SAM's way): the bucket depends on it, and the
    // permission names the bucket by account and name, never by Ref.
    const permissionId = `${id}Permission`;
    const dependsOn = dependsOnList(bucket);
    if (dependsOn.includes(permissionId)) return { resources: {} };
    bucket.DependsOn = [...dependsOn, permissionId];
    const sourceArn = bucketArnFromName(logicalId, bucket);
    return {
      resources: {
        [permissionId]: permission(S3_PRINCIPAL, { ...(sourceArn !== undefined && { sourceArn }), sourceAccount: { Ref: 'AWS::AccountId' } }),
      },
    };
  },
  // The bucket's notifications name the function, so the function cannot
  // name the bucket in turn (its discovery document would close a cycle):
  // discover() lists it by its written name instead. A bucket whose name
  // CloudFormation generates is not listed; a handler reads it from the
  // event (`Records[].s3.bucket.name`).
  references: () => [],
  literalReferences(event, resources) {
    const logicalId = referencedResource(event.bucket);
    const bucket = logicalId === undefined ? undefined : resources[logicalId];
    const name = bucket && logicalId !== undefined ? bucketNameText(logicalId, bucket) : undefined;
    if (logicalId === undefined || name === undefined) return [];
    return [{ logicalId, ref: name, attributes: { Arn: `arn:\${AWS::Partition}:s3:::${name}` } }];
  },
  describe: (event) => `s3 ${describeExpression(event.bucket)} ${event.events.join(' ')}`,
  details: (event) => filterParts(event),
  edge: (event) => ({ from: event.bucket, label: 'notification' }),
  samples: {
    s3: {
      sampleValues: (event, { resolve }) => ({ bucket: resolve(event.bucket) }),
      decorator: '@S3({ bucket, events })',
      typeName: 'S3Event',
      create({ region, now, values }): S3Event {
        const name = values.bucket ?? 'hello-sparta-uploads';
        return {
          Records: [
            {
              eventVersion: '2.1',
              eventSource: 'aws:s3',
              awsRegion: region,
              eventTime: now.toISOString(),
              eventName: 'ObjectCreated:Put',
              userIdentity: { principalId: 'AWS:AIDAINPONIXQXHT3IKHL2' },
              requestParameters: { sourceIPAddress: '205.255.255.255' },
              responseElements: {
                'x-amz-request-id': 'D82B88E5F771F645',
                'x-amz-id-2': 'vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=',
              },
              s3: {
                s3SchemaVersion: '1.0',
                configurationId: 'ZjNkZDg4OGEtYjA1MC00NTg2LWE0ZTYtMjU5ZDI3ZmMzNTJk',
                bucket: { name, ownerIdentity: { principalId: 'A3I5XTEXAMAI3E' }, arn: `arn:aws:s3:::${name}` },
                object: { key: values.key ?? 'incoming/photo.png', size: 1305107, eTag: 'b21b84d653bb07b05b1e6b33684dc11b', sequencer: '0C0F6F405D6ED209E1' },
              },
            },
          ],
        };
      },
    },
  },
  eventTypes: ['S3Event'],
};
