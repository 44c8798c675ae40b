import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import type { CfnValue } from '../cli/template/types';
import type { Expression, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import { describeExpression } from './describe';
import { arnOf, declaredTarget } from './targets';
import type { EventSource, OptionChecker, ServiceView, Validated } from './types';

// `@CloudWatchLogs`: a subscription filter that sends a log group's matching
// events to the function, and the permission that lets CloudWatch Logs call
// it from that group only.

export interface CloudWatchLogsOptions {
  /** `Ref` of an `AWS::Logs::LogGroup` declared with `@Resource`, or a log group's name. */
  logGroup: Expression;
  /** CloudWatch Logs filter pattern syntax; absent or '' sends every event. */
  filterPattern?: string;
}

export interface LogsEventManifest {
  kind: 'logs';
  logGroup: Expression;
  /** '' matches every event. */
  filterPattern: string;
  source: SourceLocation;
}

export const LOGS_PRINCIPAL = 'logs.amazonaws.com';
const LOG_GROUP_TYPE = 'AWS::Logs::LogGroup';
const SUBSCRIPTION_FILTER_TYPE = 'AWS::Logs::SubscriptionFilter';
const WHAT = '@CloudWatchLogs';
const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
/** CloudWatch Logs' limits: a pattern's length, and filters a group may have. */
const PATTERN_LENGTH = 1024;
export const SUBSCRIPTION_FILTERS_PER_GROUP = 2;

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<LogsEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  c.onlyKeys(options, ['logGroup', 'filterPattern'], WHAT);
  let valid = true;
  const logGroup = c.expression(options.logGroup, 'logGroup', WHAT);
  if (logGroup === undefined) valid = false;
  else if (typeof logGroup === 'string' && !GROUP_NAME.test(logGroup)) {
    c.fail(
      DiagnosticCode.INVALID_OPTION,
      'logGroup',
      `${WHAT} \`logGroup\` ${JSON.stringify(logGroup)} is not a log group name`,
      logGroup.startsWith('arn:') ? 'a subscription filter takes the group\'s name (/aws/lambda/my-function), not its ARN' : 'a name is 1 to 512 of A-Z a-z 0-9 . - _ / #',
    );
    valid = false;
  } else if (typeof logGroup !== 'string' && 'Fn::GetAtt' in logGroup) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'logGroup', `${WHAT} \`logGroup\` ${describeExpression(logGroup)} is an attribute; a subscription filter takes the group's name`, `write Ref('${logGroup['Fn::GetAtt'][0]}'), which is its name`);
    valid = false;
  }
  const filterPattern = c.string(options, 'filterPattern', WHAT);
  if (options.filterPattern !== undefined && filterPattern === undefined) valid = false;
  if (filterPattern !== undefined && filterPattern.length > PATTERN_LENGTH) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'filterPattern', `${WHAT} \`filterPattern\` must be at most ${PATTERN_LENGTH} characters, not ${filterPattern.length}`);
    valid = false;
  }
  if (!valid) return undefined;
  return { kind: 'logs', logGroup: logGroup!, filterPattern: filterPattern ?? '' };
}

/**
 * What names the group, so that `Ref('AppLogs')` and the name AppLogs
 * declares count as one group.
 */
function groupKey(logGroup: CfnValue | Expression, service: ServiceView): string {
  const logicalId = logGroup !== null && typeof logGroup === 'object' && !Array.isArray(logGroup) ? (logGroup as { Ref?: unknown }).Ref : undefined;
  if (typeof logicalId === 'string') {
    const declared = service.resources.find((resource) => resource.logicalId === logicalId);
    const name = declared?.declaration.Properties?.LogGroupName;
    if (typeof name === 'string') return JSON.stringify(name);
  }
  return JSON.stringify(logGroup);
}

/** Where the group's other subscription filters come from, in the order the analysis met them. */
function filtersOnGroup(key: string, service: ServiceView): { origin: string; event?: LogsEventManifest; functionId?: string }[] {
  const found: { origin: string; event?: LogsEventManifest; functionId?: string }[] = [];
  for (const resource of service.resources) {
    if (resource.declaration.Type !== SUBSCRIPTION_FILTER_TYPE) continue;
    const group = resource.declaration.Properties?.LogGroupName;
    if (group !== undefined && groupKey(group as CfnValue, service) === key) found.push({ origin: `@Resource('${resource.logicalId}') at ${resource.source.file}:${resource.source.line}` });
  }
  const functions = service.functions;
  for (const fn of functions) {
    for (const event of fn.events) {
      if (event.kind !== 'logs' || groupKey(event.logGroup, service) !== key) continue;
      found.push({ origin: `the ${WHAT} of ${fn.id} at ${event.source.file}:${event.source.line}`, event, functionId: fn.id });
    }
  }
  return found;
}

function checkInService(event: LogsEventManifest, service: ServiceView, c: OptionChecker): void {
  if (typeof event.logGroup !== 'string' && 'Ref' in event.logGroup) {
    // A reference to nothing is the analysis' own SPARTA012.
    declaredTarget(event.logGroup, service, c, { key: 'logGroup', what: WHAT, types: [LOG_GROUP_TYPE] });
  }
  const filters = filtersOnGroup(groupKey(event.logGroup, service), service);
  const index = filters.findIndex((entry) => entry.event === event);
  const before = index < 0 ? filters.filter((entry) => entry.event === undefined) : filters.slice(0, index);
  const mine = index < 0 ? undefined : filters[index].functionId;
  const sameFunction = before.find((entry) => entry.functionId !== undefined && entry.functionId === mine);
  if (sameFunction) {
    c.fail(
      DiagnosticCode.INVALID_OPTION,
      'logGroup',
      `${WHAT} on ${describeExpression(event.logGroup)} repeats ${sameFunction.origin}: one function takes a group's events through one subscription filter`,
      'join the two patterns into one: ?ERROR ?WARN for words, { $.a = 1 || $.b = 2 } for JSON',
    );
    return;
  }
  if (before.length >= SUBSCRIPTION_FILTERS_PER_GROUP) {
    c.fail(
      DiagnosticCode.TOO_MANY_SUBSCRIPTION_FILTERS,
      'logGroup',
      `${WHAT} would be subscription filter ${before.length + 1} on log group ${describeExpression(event.logGroup)}, which takes at most ${SUBSCRIPTION_FILTERS_PER_GROUP} (${before.map((entry) => entry.origin).join(', ')})`,
      'let one function take the group\'s events and pass them on, or subscribe another group',
    );
  }
}

/** The group's ARN (ending `:*`, as CloudWatch Logs sends it) without a lookup when only its name is known. */
function groupArn(logGroup: Expression): CfnValue {
  if (typeof logGroup === 'string') return { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroup}:*` };
  if ('Fn::Sub' in logGroup) return { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${logGroup['Fn::Sub']}:*` };
  return arnOf(logGroup);
}

/** CloudWatch Logs' own event IDs: 56 digits. */
function eventId(timestamp: number, index: number): string {
  return `${timestamp}${String(index).padStart(4, '0')}`.padEnd(56, '0');
}

export const cloudWatchLogs: EventSource<LogsEventManifest> = {
  decorator: 'CloudWatchLogs',
  kinds: ['logs'],
  validate,
  checkInService,
  // A new pattern updates the filter in place; a new group replaces it (its
  // LogGroupName cannot change), so the group identifies it.
  idPart: 'LogFilter',
  identity: (event) => event.logGroup,
  template(event, { id, target, permission }) {
    const permissionId = `${id}Permission`;
    return {
      resources: {
        [id]: {
          Type: SUBSCRIPTION_FILTER_TYPE,
          // CloudWatch Logs tests the destination when the filter is created.
          DependsOn: [permissionId],
          Properties: { LogGroupName: event.logGroup as CfnValue, FilterPattern: event.filterPattern, DestinationArn: target.functionArn },
        },
        [permissionId]: permission(LOGS_PRINCIPAL, { sourceArn: groupArn(event.logGroup), sourceAccount: { Ref: 'AWS::AccountId' } }),
      },
    };
  },
  references: (event) => [event.logGroup],
  describe: (event) => `logs ${describeExpression(event.logGroup)}${event.filterPattern === '' ? '' : ' (filtered)'}`,
  details: (event) => [event.filterPattern === '' ? 'every event' : `filter pattern ${JSON.stringify(event.filterPattern)}`],
  edge: (event) => ({ from: event.logGroup, label: 'subscription filter' }),
  samples: {
    logs: {
      // The filter's name is CloudWatch Logs' to choose: the sample keeps its own.
      sampleValues: (event, { resolve }) => ({ group: resolve(event.logGroup) }),
      decorator: '@CloudWatchLogs({ logGroup, filterPattern })',
      typeName: 'CloudWatchLogsEvent',
      create({ account, now, values }): CloudWatchLogsEvent {
        const timestamp = now.getTime();
        const decoded: CloudWatchLogsDecodedData = {
          messageType: 'DATA_MESSAGE',
          owner: account,
          logGroup: values.group ?? '/hello-sparta/app',
          logStream: `${now.toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]0b7b1b3c8e2a4c5f9d6e7f8a9b0c1d2e`,
          subscriptionFilters: [values.filter ?? 'hello-sparta-AppLogsFilter-1KZ9X4Q2M3N5P'],
          logEvents: [
            { id: eventId(timestamp, 0), timestamp, message: values.message ?? '{"level":"ERROR","message":"payment declined","orderId":"o-1042"}' },
            { id: eventId(timestamp + 12, 1), timestamp: timestamp + 12, message: '{"level":"ERROR","message":"payment declined","orderId":"o-1043"}' },
          ],
        };
        // As CloudWatch Logs sends it: gzipped JSON, base64-encoded.
        return { awslogs: { data: gzipSync(JSON.stringify(decoded)).toString('base64') } };
      },
    },
  },
  eventTypes: ['CloudWatchLogsEvent'],
};
