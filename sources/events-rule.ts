import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import type { CfnValue } from '../cli/template/types';
import type { Expression, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import { describeExpression } from './describe';
import { checkUniqueName, physicalName } from './names';
import { checkSchedule } from './schedule';
import { stableStringify } from '../cli/template/serialize';
import { declaredTarget } from './targets';
import type { EventSource, Json, OptionChecker, Validated } from './types';

// `@CloudWatchEvent`: an EventBridge rule on a schedule or an event pattern
// (on the default bus or a custom one), whose target is the function, and the
// permission that lets the rule call it.

interface CloudWatchEventCommon {
  name?: string;
  description?: string;
  /** A constant JSON input passed to the function instead of the event. */
  input?: StaticValue;
}
export type CloudWatchEventOptions =
  // EventBridge runs scheduled rules on the default bus only.
  | (CloudWatchEventCommon & { schedule: string; pattern?: never; eventBus?: never })
  | (CloudWatchEventCommon & {
      pattern: { [key: string]: StaticValue };
      schedule?: never;
      /** A Ref of an `AWS::Events::EventBus` @Resource, a bus name or a bus ARN; the default bus when absent. */
      eventBus?: Expression;
    });

export interface ScheduleEventManifest {
  kind: 'schedule';
  schedule: string;
  name?: string;
  description?: string;
  input?: StaticValue;
  source: SourceLocation;
}

export interface PatternEventManifest {
  kind: 'pattern';
  pattern: { [key: string]: StaticValue };
  /** The bus the rule listens on, as written; the default bus when absent. */
  eventBus?: Expression;
  name?: string;
  description?: string;
  input?: StaticValue;
  source: SourceLocation;
}

export type RuleEventManifest = ScheduleEventManifest | PatternEventManifest;

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const RULE_NAME_DISALLOWED = /[^.\-_A-Za-z0-9]/;
const RULE_NAME_LENGTH = 64;
/** EventBridge's own limits on `EventBusName` (a name or an ARN). */
const BUS_NAME = /^[/.\-_A-Za-z0-9]{1,256}$/;
const BUS_ARN = /^arn:aws[\w-]*:events:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:event-bus\/[/.\-_A-Za-z0-9]{1,256}$/;
const WHAT = '@CloudWatchEvent';

/** The rule's physical name for `@CloudWatchEvent({ name })`: `<service>-<name>`, within EventBridge's 64 characters. */
export function ruleName(service: string, name: string): string {
  return physicalName(service, name, RULE_NAME_LENGTH, RULE_NAME_DISALLOWED);
}

function validateBus(value: StaticValue | undefined, c: OptionChecker): Expression | undefined {
  const bus = c.expression(value, 'eventBus', WHAT);
  if (bus === undefined || typeof bus !== 'string') return bus;
  if (bus.startsWith('arn:')) return c.arn(bus, 'eventBus', WHAT, { pattern: BUS_ARN, kind: 'an EventBridge event bus', example: 'arn:aws:events:<region>:<account>:event-bus/<name>' });
  if (BUS_NAME.test(bus)) return bus;
  c.fail(DiagnosticCode.INVALID_OPTION, 'eventBus', `event bus name ${JSON.stringify(bus)} is not valid`, 'letters, digits, / . - _ only, at most 256 characters');
  return undefined;
}

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<RuleEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  c.onlyKeys(options, ['schedule', 'pattern', 'eventBus', 'name', 'description', 'input'], WHAT);
  const common: { name?: string; description?: string; input?: StaticValue } = {};
  const name = c.string(options, 'name', WHAT);
  if (name !== undefined) {
    if (RULE_NAME.test(name)) common.name = name;
    else c.fail(DiagnosticCode.INVALID_OPTION, 'name', `rule name ${JSON.stringify(name)} is not valid`, 'letters, digits, . - _ only, at most 64 characters');
  }
  const description = c.string(options, 'description', WHAT);
  if (description !== undefined) common.description = description;
  if (options.input !== undefined) common.input = options.input;
  const { schedule, pattern } = options;
  if ((schedule === undefined) === (pattern === undefined)) {
    c.fail(DiagnosticCode.INVALID_OPTION, undefined, `${WHAT} takes exactly one of \`schedule\` or \`pattern\``);
    return undefined;
  }
  if (schedule !== undefined) {
    if (options.eventBus !== undefined) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'eventBus', `${WHAT} with a \`schedule\` cannot take \`eventBus\`: EventBridge runs scheduled rules on the default bus only`, 'leave eventBus out, or match events on the bus with a `pattern`');
      return undefined;
    }
    const problem = typeof schedule === 'string' ? checkSchedule(schedule) : 'it must be a string';
    if (problem) {
      c.fail(DiagnosticCode.BAD_SCHEDULE, 'schedule', `schedule ${JSON.stringify(schedule)} is not valid: ${problem}`, 'write rate(5 minutes), rate(1 hour) or cron(0 12 * * ? *)');
      return undefined;
    }
    return { kind: 'schedule', schedule: schedule as string, ...common };
  }
  if (!pattern || typeof pattern !== 'object' || Array.isArray(pattern) || Object.keys(pattern).length === 0) {
    c.fail(DiagnosticCode.INVALID_OPTION, 'pattern', `${WHAT} \`pattern\` must be a non-empty event pattern object`, "for example { source: ['aws.s3'] }");
    return undefined;
  }
  if (options.eventBus === undefined) return { kind: 'pattern', pattern: pattern as Json, ...common };
  const eventBus = validateBus(options.eventBus, c);
  if (eventBus === undefined) return undefined;
  return { kind: 'pattern', pattern: pattern as Json, eventBus, ...common };
}

const busOf = (event: RuleEventManifest): Expression | undefined => (event.kind === 'pattern' ? event.eventBus : undefined);

/** `{ [key]: the first plain string of a pattern's list }`, or nothing when the pattern matches by prefix, wildcard or the like. */
function firstString(key: string, value: StaticValue | undefined): Record<string, string> {
  const first = Array.isArray(value) ? value.find((item): item is string => typeof item === 'string') : undefined;
  return first === undefined ? {} : { [key]: first };
}

/** EventBridge's own time format: second precision. */
function eventTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const cloudWatchEvent: EventSource<RuleEventManifest> = {
  decorator: 'CloudWatchEvent',
  kinds: ['schedule', 'pattern'],
  validate,
  checkInService(event, service, check) {
    const bus = busOf(event);
    if (bus !== undefined) declaredTarget(bus, service, check, { key: 'eventBus', what: WHAT, types: ['AWS::Events::EventBus'] });
    checkUniqueName(event, service, check, { kinds: cloudWatchEvent.kinds, what: WHAT, noun: 'rule' });
  },
  idPart: 'Rule',
  // An unnamed rule: a new trigger or input swaps it for a new one (created
  // before the old one is deleted, under a new generated name); a new
  // description updates it in place. A named rule is its name and its bus
  // (EventBridge cannot move a rule to another bus): a new trigger or input
  // updates it in place, since a second rule of the same name would collide
  // with it (sources/names.ts).
  identity: (event) =>
    event.name !== undefined
      ? { name: event.name, eventBus: busOf(event) }
      : event.kind === 'schedule'
        ? { schedule: event.schedule, input: event.input }
        : { pattern: event.pattern, input: event.input, eventBus: event.eventBus },
  template(event, { id, service, target, permission }) {
    const properties: Record<string, CfnValue> = {};
    if (event.name !== undefined) properties.Name = ruleName(service, event.name);
    if (event.description !== undefined) properties.Description = event.description;
    // The Ref of an AWS::Events::EventBus is its name; a name or an ARN is taken as written.
    if (event.kind === 'pattern' && event.eventBus !== undefined) properties.EventBusName = event.eventBus as CfnValue;
    if (event.kind === 'schedule') properties.ScheduleExpression = event.schedule;
    else properties.EventPattern = event.pattern as CfnValue;
    properties.State = 'ENABLED';
    const ruleTarget: Record<string, CfnValue> = { Id: target.functionName, Arn: target.functionArn };
    if (event.input !== undefined) ruleTarget.Input = stableStringify(event.input);
    properties.Targets = [ruleTarget];
    return {
      resources: {
        [id]: { Type: 'AWS::Events::Rule', Properties: properties },
        [`${id}Permission`]: permission(EVENTS_PRINCIPAL, { sourceArn: { 'Fn::GetAtt': [id, 'Arn'] } }),
      },
    };
  },
  references: (event) => (event.kind === 'pattern' && event.eventBus !== undefined ? [event.eventBus] : []),
  describe: (event) =>
    event.kind === 'schedule'
      ? `schedule ${event.schedule}`
      : `pattern ${JSON.stringify(event.pattern)}${event.eventBus === undefined ? '' : ` on ${describeExpression(event.eventBus)}`}`,
  details(event) {
    const parts: string[] = [];
    if (event.kind === 'pattern' && event.eventBus !== undefined) parts.push(`event bus ${describeExpression(event.eventBus)}`);
    if (event.name !== undefined) parts.push(`rule name ${JSON.stringify(event.name)}`);
    if (event.description !== undefined) parts.push(`description ${JSON.stringify(event.description)}`);
    if (event.input !== undefined) parts.push(`input ${JSON.stringify(event.input)}`);
    return parts;
  },
  edge: (event) =>
    event.kind === 'pattern' && event.eventBus !== undefined
      ? { from: event.eventBus, label: 'pattern' }
      : { text: event.kind === 'schedule' ? event.schedule : `pattern ${JSON.stringify(event.pattern)}`, label: event.kind },
  samples: {
    schedule: {
      decorator: '@CloudWatchEvent({ schedule })',
      typeName: 'ScheduledEvent',
      create({ region, account, now, values }): ScheduledEvent {
        return {
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account,
          time: eventTime(now),
          region,
          resources: [`arn:aws:events:${region}:${account}:rule/${values.rule ?? 'hello-sparta-HelloTickRule'}`],
          detail: {},
        };
      },
      // A named rule keeps its name; an unnamed one gets CloudFormation's, the Ref of the rule.
      sampleValues: (event, { id, service, resolve }) => (event.kind === 'schedule' ? { rule: event.name === undefined ? resolve({ Ref: id }) : ruleName(service, event.name) } : undefined),
    },
    eventbridge: {
      decorator: '@CloudWatchEvent({ pattern })',
      typeName: 'EventBridgeEvent',
      create({ region, account, now, values }): EventBridgeEvent<string, unknown> {
        return {
          version: '0',
          id: randomUUID(),
          'detail-type': values.detailType ?? 'Order Placed',
          source: values.source ?? 'shop.orders',
          account,
          time: eventTime(now),
          region,
          resources: [],
          detail: values.detail === undefined ? { orderId: 'o-1042', total: 42.5 } : (JSON.parse(values.detail) as unknown),
        };
      },
      // The event the pattern matches: its first source and detail-type where the pattern names them as plain strings.
      sampleValues: (event) => (event.kind === 'pattern' ? { ...firstString('source', event.pattern.source), ...firstString('detailType', event.pattern['detail-type']) } : undefined),
    },
  },
  eventTypes: ['ScheduledEvent', 'EventBridgeEvent'],
  handlerContract: (event) => ({ constantEvent: event.input !== undefined }),
};
