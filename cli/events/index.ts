import { SAMPLE_EVENTS, type SampleEvent } from '../../sources';

// `sparta event TYPE`: realistic events to feed `sparta invoke`, as each
// event source's module (sources/) writes them.

export { SAMPLE_EVENTS, type SampleEvent };

export function sampleEventTypes(): string[] {
  return Object.keys(SAMPLE_EVENTS).sort();
}

/** The sample, or undefined for an unknown type. `values` tailor it (`topic`, `subject`); an undefined one is left to the sample. */
export function sampleEvent(type: string, values: Record<string, string | undefined> = {}, region = 'us-east-1'): unknown {
  const sample = Object.prototype.hasOwnProperty.call(SAMPLE_EVENTS, type) ? SAMPLE_EVENTS[type] : undefined;
  if (!sample) return undefined;
  return sample.create({ region, account: '123456789012', now: new Date(), values });
}
