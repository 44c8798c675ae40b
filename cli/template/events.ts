import type { PatternEventManifest, ScheduleEventManifest, SNSEventManifest } from '../../manifest/types';
import { stableStringify } from './serialize';
import type { CfnResource, CfnValue } from './types';

// Each event source is a resource that calls the function plus the
// permission that lets it: Lambda refuses invocations from a service
// principal unless a resource policy names the exact source.

export const EVENTS_PRINCIPAL = 'events.amazonaws.com';
export const SNS_PRINCIPAL = 'sns.amazonaws.com';

export interface EventTarget {
  /** Logical ID of the function. */
  functionId: string;
  /** The function's name: unique in the account, within 64 characters, so a fine target Id. */
  functionName: string;
}

function functionArn(target: EventTarget): CfnValue {
  return { 'Fn::GetAtt': [target.functionId, 'Arn'] };
}

export function eventRule(event: ScheduleEventManifest | PatternEventManifest, target: EventTarget): CfnResource {
  const properties: Record<string, CfnValue> = {};
  if (event.name !== undefined) properties.Name = event.name;
  if (event.description !== undefined) properties.Description = event.description;
  if (event.kind === 'schedule') properties.ScheduleExpression = event.schedule;
  else properties.EventPattern = event.pattern as CfnValue;
  properties.State = 'ENABLED';
  const ruleTarget: Record<string, CfnValue> = { Id: target.functionName, Arn: functionArn(target) };
  if (event.input !== undefined) ruleTarget.Input = stableStringify(event.input);
  properties.Targets = [ruleTarget];
  return { Type: 'AWS::Events::Rule', Properties: properties };
}

export function snsSubscription(event: SNSEventManifest, target: EventTarget): CfnResource {
  const properties: Record<string, CfnValue> = {
    TopicArn: event.topic as CfnValue,
    Protocol: 'lambda',
    Endpoint: functionArn(target),
  };
  if (event.filterPolicy !== undefined) properties.FilterPolicy = event.filterPolicy as CfnValue;
  return { Type: 'AWS::SNS::Subscription', Properties: properties };
}

/** Lets `principal` invoke the function, from `sourceArn` only. */
export function invokePermission(target: EventTarget, principal: string, sourceArn: CfnValue): CfnResource {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      Action: 'lambda:InvokeFunction',
      FunctionName: functionArn(target),
      Principal: principal,
      SourceArn: sourceArn,
    },
  };
}
