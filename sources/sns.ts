import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { CfnValue } from '../cli/template/types';
import { TOPIC_ARN } from '../manifest/arn';
import type { Expression, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import { describeExpression } from './describe';
import type { EventSource, OptionChecker, Validated } from './types';

// `@SNS`: a subscription of the function to a topic, and the permission that
// lets the topic call it.

export interface SNSOptions {
  topic: Expression;
  filterPolicy?: { [key: string]: StaticValue };
}

export interface SNSEventManifest {
  kind: 'sns';
  topic: Expression;
  filterPolicy?: { [key: string]: StaticValue };
  source: SourceLocation;
}

export const SNS_PRINCIPAL = 'sns.amazonaws.com';
const WHAT = '@SNS';

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<SNSEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  c.onlyKeys(options, ['topic', 'filterPolicy'], WHAT);
  const expression = c.expression(options.topic, 'topic', WHAT);
  const topic = expression === undefined ? undefined : c.arn(expression, 'topic', WHAT, { pattern: TOPIC_ARN, kind: 'an SNS topic', example: 'arn:aws:sns:<region>:<account>:<topic>' });
  if (!topic) return undefined;
  const result: Validated<SNSEventManifest> = { kind: 'sns', topic };
  if (options.filterPolicy !== undefined) {
    const policy = options.filterPolicy;
    if (policy && typeof policy === 'object' && !Array.isArray(policy)) result.filterPolicy = policy;
    else c.fail(DiagnosticCode.INVALID_OPTION, 'filterPolicy', `${WHAT} \`filterPolicy\` must be an object`);
  }
  return result;
}

export const sns: EventSource<SNSEventManifest> = {
  decorator: 'SNS',
  kinds: ['sns'],
  validate,
  idPart: 'Subscription',
  // SNS keeps one subscription per topic and endpoint, so the topic
  // identifies it; a new filter policy updates it in place.
  identity: (event) => event.topic,
  template(event, { id, target, permission }) {
    const properties: Record<string, CfnValue> = { TopicArn: event.topic as CfnValue, Protocol: 'lambda', Endpoint: target.functionArn };
    if (event.filterPolicy !== undefined) properties.FilterPolicy = event.filterPolicy as CfnValue;
    return {
      resources: {
        [id]: { Type: 'AWS::SNS::Subscription', Properties: properties },
        [`${id}Permission`]: permission(SNS_PRINCIPAL, { sourceArn: event.topic as CfnValue }),
      },
    };
  },
  // A handler fed by several topics tells them apart by ARN.
  references: (event) => [event.topic],
  describe: (event) => `sns ${describeExpression(event.topic)}${event.filterPolicy ? ' (filtered)' : ''}`,
  details: (event) => (event.filterPolicy === undefined ? [] : [`filter policy ${JSON.stringify(event.filterPolicy)}`]),
  edge: (event) => ({ from: event.topic, label: 'subscription' }),
  samples: {
    sns: {
      decorator: '@SNS({ topic })',
      typeName: 'SNSEvent',
      create({ region, account, now, values }): SNSEvent {
        const topicArn = values.topic ?? `arn:aws:sns:${region}:${account}:hello-sparta-AlertsTopic`;
        const subscriptionArn = `${topicArn}:${randomUUID()}`;
        return {
          Records: [
            {
              EventVersion: '1.0',
              EventSubscriptionArn: subscriptionArn,
              EventSource: 'aws:sns',
              Sns: {
                SignatureVersion: '1',
                Timestamp: now.toISOString(),
                Signature: 'EXAMPLElDMXvB8r9R83tGoNn0ecwd5UjllzsvSvbItzfaMpN2nk5HVSw7XnOn/49IkxDKz8YrlH2qJXj2iZB0Zo2O71c4qQk1fMUDi3LGpij7RCW7AW9vYYsSqIKRnFS94ilu7NFhUzLiieYr4BKHpdTmdD6c0esg==',
                SigningCertUrl: `https://sns.${region}.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem`,
                MessageId: randomUUID(),
                Message: values.message ?? 'Hello from SNS!',
                MessageAttributes: {},
                Type: 'Notification',
                UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
                TopicArn: topicArn,
                Subject: values.subject ?? 'Sample alert',
              },
            },
          ],
        };
      },
      sampleValues: (event, { resolve }) => ({ topic: resolve(event.topic) }),
    },
  },
  eventTypes: ['SNSEvent'],
};
