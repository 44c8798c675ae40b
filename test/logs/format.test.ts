import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatLogEvent } from '../../cli/logs/format';

const at = Date.UTC(2026, 11, 2, 7, 30, 0, 0);
const event = (message: string) => ({ timestamp: at, message, eventId: '1' });

test("a Lambda platform record (JSON log format) shows its type and the record's fields", () => {
  const record = { time: '2026-12-02T07:30:00.000Z', type: 'platform.report', record: { requestId: 'r-1', metrics: { durationMs: 2.5 } } };
  assert.is(formatLogEvent(event(JSON.stringify(record))), '2026-12-02T07:30:00.000Z -     platform.report  requestId=r-1 metrics={"durationMs":2.5}');
});

test("a JSON line without level and message is text, at the event's time", () => {
  assert.is(formatLogEvent(event('{"a":1}')), '2026-12-02T07:30:00.000Z -     {"a":1}');
});

test('a lower-case level is shown upper-case, and a line without fields has no trailing gap', () => {
  assert.is(formatLogEvent(event(JSON.stringify({ timestamp: '2026-12-02T07:29:59.000Z', level: 'warn', message: 'slow' }))), '2026-12-02T07:29:59.000Z WARN  slow');
});

test.run();
