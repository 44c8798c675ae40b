import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { SampleEvent } from './types';

/** One notification as Lambda receives it from `@SNS({ topic })`. */
export const sns: SampleEvent = {
  decorator: '@SNS({ topic })',
  typeName: 'SNSEvent',
  create({ region, account, now, topic, subject, message }): SNSEvent {
    const topicArn = topic ?? `arn:aws:sns:${region}:${account}:hello-sparta-AlertsTopic`;
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
            Message: message ?? 'Hello from SNS!',
            MessageAttributes: {},
            Type: 'Notification',
            UnsubscribeUrl: `https://sns.${region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`,
            TopicArn: topicArn,
            Subject: subject ?? 'Sample alert',
          },
        },
      ],
    };
  },
};
