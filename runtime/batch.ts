import { logger } from './logger';

// Partial batch failures without Powertools: a function fed by a queue or a
// stream with `reportBatchItemFailures: true` returns the records that failed,
// and Lambda retries only those (a queue) or restarts from the lowest
// reported one (a stream). The shape is what Powertools' BatchProcessor
// returns, and what @types/aws-lambda calls SQSBatchResponse,
// DynamoDBBatchResponse and KinesisStreamBatchResponse.
// No aws-lambda types here: they are a dev dependency, not one of a user's.

export interface BatchItemFailure {
  itemIdentifier: string;
}

export interface BatchResponse {
  batchItemFailures: BatchItemFailure[];
}

export interface ProcessBatchOptions {
  /**
   * Handle a standard queue's records one at a time rather than all at once.
   * A FIFO queue's and a stream's records are always handled in order.
   */
  sequential?: boolean;
}

/** The fields a record is identified and ordered by: SQS, DynamoDB streams, Kinesis. */
interface AnyRecord {
  messageId?: unknown;
  attributes?: { MessageGroupId?: unknown };
  dynamodb?: { SequenceNumber?: unknown };
  kinesis?: { sequenceNumber?: unknown };
}

/**
 * Calls `handle` for each record of an SQS, DynamoDB stream or Kinesis event
 * and returns the failed ones as Lambda expects them; return it from the
 * handler. A record fails when `handle` throws or rejects; its error is logged.
 * What `handle` returns (or resolves to) is ignored.
 * The records of a FIFO queue (they carry a MessageGroupId) and of a stream
 * are handled in order, and the first failure stops the batch: it and every
 * later record are reported, so none is handled out of order.
 */
export async function processBatch<R>(event: { Records: readonly R[] }, handle: (record: R) => unknown, options: ProcessBatchOptions = {}): Promise<BatchResponse> {
  const records = event.Records;
  // Every identifier first: a record without one cannot be reported, so the batch fails whole before anything runs.
  const ids = records.map(identifierOf);
  const first = records[0] as AnyRecord | undefined;
  const ordered = first !== undefined && (first.messageId === undefined || first.attributes?.MessageGroupId !== undefined);
  const failed = (index: number, error: unknown, skipped = 0) => {
    logger.error('record failed', { itemIdentifier: ids[index], error, ...(skipped > 0 && { skipped }) });
    return { itemIdentifier: ids[index] };
  };
  if (ordered || options.sequential) {
    const failures: BatchItemFailure[] = [];
    for (let index = 0; index < records.length; index++) {
      try {
        await handle(records[index]);
      } catch (error) {
        if (!ordered) {
          failures.push(failed(index, error));
          continue;
        }
        const later = ids.slice(index + 1);
        return { batchItemFailures: [failed(index, error, later.length), ...later.map((itemIdentifier) => ({ itemIdentifier }))] };
      }
    }
    return { batchItemFailures: failures };
  }
  const outcomes = await Promise.allSettled(records.map(async (record) => handle(record)));
  const failures: BatchItemFailure[] = [];
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'rejected') failures.push(failed(index, outcome.reason));
  });
  return { batchItemFailures: failures };
}

function identifierOf(record: unknown, index: number): string {
  const { messageId, dynamodb, kinesis } = (record ?? {}) as AnyRecord;
  const id = messageId ?? dynamodb?.SequenceNumber ?? kinesis?.sequenceNumber;
  if (typeof id !== 'string') throw new TypeError(`processBatch: record ${index} has no messageId (SQS), dynamodb.SequenceNumber or kinesis.sequenceNumber`);
  return id;
}
