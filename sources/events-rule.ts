import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { CfnValue } from '../cli/template/types';
import type { SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import { checkSchedule } from './schedule';
import { stableStringify } from '../cli/template/serialize';
import type { EventSource, Json, OptionChecker, Validated } from './types';

// `@CloudWatchEvent`: an EventBridge rule on a schedule or an event pattern,
// whose target is the function, and the permission that lets the rule call it.

interface CloudWatchEventCommon {
  name?: string;
  description?: string;
  /** A constant JSON input passed to the function instead of the event. */
  input?: StaticValue;
}
export type CloudWatchEventOptions =
  | (CloudWatchEventCommon & { schedule: string; pattern?: never })
  | (CloudWatchEventCommon & { pattern: { [key: string]: StaticValue }; schedule?: never });

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
  name?: string;
  description?: string;
  input?: StaticValue;
  source: SourceLocation;
}

export type RuleEventManifest = ScheduleEventManifest | PatternEventManifest;

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';
const RULE_NAME = /^[.\-_A-Za-z0-9]{1,64}$/;
const WHAT = '@CloudWatchEvent';

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<RuleEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  c.onlyKeys(options, ['schedule', 'pattern', 'name', 'description', 'input'], WHAT);
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
  return { kind: 'pattern', pattern: pattern as Json, ...common };
}

/** EventBridge's own time format: second precision. */
function eventTime(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const cloudWatchEvent: EventSource<RuleEventManifest> = {
  decorator: 'CloudWatchEvent',
  kinds: ['schedule', 'pattern'],
  validate,
  idPart: 'Rule',
  // A new trigger or input swaps the rule for a new one (created before the
  // old one is deleted); a new description updates it in place.
  identity: (event) =>
    event.kind === 'schedule'
      ? { schedule: event.schedule, input: event.input, name: event.name }
      : { pattern: event.pattern, input: event.input, name: event.name },
  template(event, { id, target, permission }) {
    const properties: Record<string, CfnValue> = {};
    if (event.name !== undefined) properties.Name = event.name;
    if (event.description !== undefined) properties.Description = event.description;
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
  references: () => [],
  describe: (event) => (event.kind === 'schedule' ? `schedule ${event.schedule}` : `pattern ${JSON.stringify(event.pattern)}`),
  details(event) {
    const parts: string[] = [];
    if (event.name !== undefined) parts.push(`rule name ${JSON.stringify(event.name)}`);
    if (event.description !== undefined) parts.push(`description ${JSON.stringify(event.description)}`);
    if (event.input !== undefined) parts.push(`input ${JSON.stringify(event.input)}`);
    return parts;
  },
  edge: (event) => ({ text: event.kind === 'schedule' ? event.schedule : `pattern ${JSON.stringify(event.pattern)}`, label: event.kind }),
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
      sampleValues: (event, { id, resolve }) => (event.kind === 'schedule' ? { rule: event.name ?? resolve({ Ref: id }) } : undefined),
    },
  },
  eventTypes: ['ScheduledEvent', 'EventBridgeEvent'],
};
