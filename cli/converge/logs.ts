import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { logGroupNotFound } from '../errors';
import type { LogsApi } from './api';
import { awsError, awsErrorCode } from './aws-errors';
import { sleep } from './wait';

// A function's CloudWatch Logs, read with FilterLogEvents: every page of a
// window, and, to follow, the same call again from the newest event seen.

export interface LogEvent {
  timestamp: number;
  message: string;
  eventId: string;
}

export interface LogQuery {
  group: string;
  /** For messages: `Hello.hello`. */
  functionId: string;
  /** Epoch milliseconds, inclusive. */
  startTime: number;
  /** CloudWatch Logs' filter pattern syntax. */
  filterPattern?: string;
}

function toEvent(event: FilteredLogEvent): LogEvent {
  return { timestamp: event.timestamp ?? 0, message: (event.message ?? '').replace(/\n$/, ''), eventId: event.eventId ?? `${event.logStreamName}/${event.timestamp}` };
}

/** Every event of the window, oldest first (FilterLogEvents interleaves streams in time order; the sort settles ties). */
export async function readLogEvents(logs: LogsApi, query: LogQuery): Promise<LogEvent[]> {
  const events: LogEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs
      .filterLogEvents({ logGroupName: query.group, startTime: query.startTime, filterPattern: query.filterPattern || undefined, nextToken })
      .catch((error: unknown) => {
        if (awsErrorCode(error) === 'ResourceNotFoundException') throw logGroupNotFound(query.group, query.functionId);
        throw awsError(error, `reading the log group ${query.group}`);
      });
    events.push(...(page.events ?? []).map(toEvent));
    nextToken = page.nextToken;
  } while (nextToken);
  return events.sort((a, b) => a.timestamp - b.timestamp);
}

/**
 * Prints the window, then polls from the newest timestamp seen until `signal`
 * aborts. Events of that same millisecond come again with the next call, so
 * the ones already printed are skipped by ID.
 */
export async function followLogEvents(logs: LogsApi, query: LogQuery, print: (events: LogEvent[]) => void, signal: AbortSignal, pollMs: number): Promise<void> {
  let since = query.startTime;
  let seenAtSince = new Set<string>();
  while (!signal.aborted) {
    const events = (await readLogEvents(logs, { ...query, startTime: since })).filter((event) => !seenAtSince.has(event.eventId));
    if (events.length > 0) {
      print(events);
      const newest = events[events.length - 1].timestamp;
      const atNewest = events.filter((event) => event.timestamp === newest).map((event) => event.eventId);
      seenAtSince = newest === since ? new Set([...seenAtSince, ...atNewest]) : new Set(atNewest);
      since = newest;
    }
    // Ctrl-C is how a follow ends: the interruption is the way out, not a failure.
    await sleep(pollMs, signal).catch(() => undefined);
  }
}
