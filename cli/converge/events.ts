// Stack events flow poller -> monitor -> io. The poller pages through
// DescribeStackEvents (newest first) and returns only events it has not seen;
// the monitor turns them into messages and remembers failures, and its stop()
// polls once more so the event that explains a failure is never lost.
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { CloudFormationApi } from './api';
import { awsError, isStackMissingError } from './aws-errors';
import type { ConvergeIo, StackActivity } from './messages';

function toActivity(event: StackEvent): StackActivity {
  return {
    eventId: event.EventId ?? `${event.LogicalResourceId}-${event.Timestamp?.toISOString()}-${event.ResourceStatus}`,
    timestamp: event.Timestamp ?? new Date(0),
    logicalId: event.LogicalResourceId ?? '',
    physicalId: event.PhysicalResourceId,
    resourceType: event.ResourceType ?? '',
    status: event.ResourceStatus ?? '',
    reason: event.ResourceStatusReason,
  };
}

export class StackEventPoller {
  private readonly seen = new Set<string>();

  /** Prefer the stack ID: by name, a deleted stack's events cannot be read. */
  constructor(
    private readonly cf: CloudFormationApi,
    private readonly stack: string,
  ) {}

  /** Marks the events that exist now as seen, so only what happens next is reported. */
  async baseline(): Promise<void> {
    const page = await this.page(undefined);
    for (const event of page?.events ?? []) this.seen.add(event.eventId);
  }

  /** Events not reported before, oldest first. */
  async poll(): Promise<StackActivity[]> {
    const fresh: StackActivity[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.page(nextToken);
      if (!page) break;
      let reachedSeen = false;
      for (const event of page.events) {
        if (this.seen.has(event.eventId)) {
          reachedSeen = true;
          break;
        }
        fresh.push(event);
      }
      nextToken = reachedSeen ? undefined : page.nextToken;
    } while (nextToken);
    for (const event of fresh) this.seen.add(event.eventId);
    return fresh.reverse();
  }

  private async page(nextToken: string | undefined): Promise<{ events: StackActivity[]; nextToken?: string } | undefined> {
    try {
      const response = await this.cf.describeStackEvents({ StackName: this.stack, NextToken: nextToken });
      return { events: (response.StackEvents ?? []).map(toActivity), nextToken: response.NextToken };
    } catch (error) {
      if (isStackMissingError(error)) return undefined;
      throw awsError(error, `reading the events of stack ${this.stack}`);
    }
  }
}

const CANCELLATION = /cancelled/i;

export class StackActivityMonitor {
  private readonly failed: StackActivity[] = [];

  constructor(
    private readonly poller: StackEventPoller,
    private readonly io: ConvergeIo,
  ) {}

  async poll(): Promise<void> {
    for (const event of await this.poller.poll()) {
      if (event.status === 'REVIEW_IN_PROGRESS') continue;
      if (event.status.endsWith('_FAILED')) this.failed.push(event);
      this.io.emit({ type: 'stack-event', event });
    }
  }

  /** The final poll: called from `finally`, it must not hide the error that got us there. */
  async stop(): Promise<void> {
    try {
      await this.poll();
    } catch {
      // the original outcome matters more than one missed event page
    }
  }

  /** Failed resources with their reasons; "cancelled" follow-on failures only if nothing else failed. */
  get failures(): StackActivity[] {
    const causes = this.failed.filter((event) => !CANCELLATION.test(event.reason ?? ''));
    return causes.length > 0 ? causes : [...this.failed];
  }
}
