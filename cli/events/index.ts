import { schedule } from './schedule';
import { sns } from './sns';
import type { SampleEvent, SampleOptions } from './types';

export type { SampleEvent, SampleOptions } from './types';

// `sparta event TYPE`: realistic events to feed `sparta invoke`, one per
// event source a decorator can attach. Add a source here when a decorator is added.
export const SAMPLE_EVENTS: Record<string, SampleEvent> = { schedule, sns };

export function sampleEventTypes(): string[] {
  return Object.keys(SAMPLE_EVENTS).sort();
}

/** The sample, or undefined for an unknown type. */
export function sampleEvent(type: string, options: Partial<SampleOptions> = {}): unknown {
  const sample = Object.prototype.hasOwnProperty.call(SAMPLE_EVENTS, type) ? SAMPLE_EVENTS[type] : undefined;
  if (!sample) return undefined;
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return sample.create({ region: 'us-east-1', account: '123456789012', now: new Date(), ...defined });
}
