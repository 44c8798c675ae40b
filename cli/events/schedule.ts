import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { SampleEvent } from './types';

/** What EventBridge sends for `@CloudWatchEvent({ schedule })`: times have second precision. */
export const schedule: SampleEvent = {
  decorator: '@CloudWatchEvent({ schedule })',
  typeName: 'ScheduledEvent',
  create({ region, account, now, rule }): ScheduledEvent {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account,
      time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [`arn:aws:events:${region}:${account}:rule/${rule ?? 'hello-sparta-HelloTickRule'}`],
      detail: {},
    };
  },
};
