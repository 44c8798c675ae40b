import type { LogEvent } from '../converge/logs';

// One line an event, newest last. A JSON line from sparta's logger (or any
// JSON with level and message, as Lambda's JSON log format writes) reads as
// time, level, message and the other fields; a Lambda platform record as its
// type; anything else as its time and text.

/** Shown in their own columns, or noise in a function's own log (its name). */
const SHOWN = new Set(['timestamp', 'time', 'level', 'message', 'functionName']);

function isoTime(value: unknown, fallback: number): string {
  const date = typeof value === 'string' || typeof value === 'number' ? new Date(value) : new Date(fallback);
  return Number.isNaN(date.getTime()) ? new Date(fallback).toISOString() : date.toISOString();
}

function fields(entry: Record<string, unknown>): string {
  return Object.keys(entry)
    .filter((key) => !SHOWN.has(key) && entry[key] !== undefined)
    .map((key) => `${key}=${typeof entry[key] === 'string' ? entry[key] : JSON.stringify(entry[key])}`)
    .join(' ');
}

export function formatLogEvent(event: LogEvent): string {
  let entry: unknown;
  try {
    entry = JSON.parse(event.message);
  } catch {
    entry = undefined;
  }
  if (entry && typeof entry === 'object' && !Array.isArray(entry)) {
    const record = entry as Record<string, unknown>;
    const time = isoTime(record.timestamp ?? record.time, event.timestamp);
    if (typeof record.message === 'string' && typeof record.level === 'string') {
      const rest = fields(record);
      return `${time} ${record.level.toUpperCase().padEnd(5)} ${record.message}${rest ? `  ${rest}` : ''}`;
    }
    if (typeof record.type === 'string' && record.type.startsWith('platform.')) {
      const detail = record.record && typeof record.record === 'object' ? fields(record.record as Record<string, unknown>) : '';
      return `${time} ${'-'.padEnd(5)} ${record.type}${detail ? `  ${detail}` : ''}`;
    }
  }
  return `${isoTime(undefined, event.timestamp)} ${'-'.padEnd(5)} ${event.message}`;
}
