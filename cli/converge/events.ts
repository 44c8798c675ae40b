// Stack events flow poller -> monitor -> io. The poller pages through
// DescribeStackEvents (newest first) and returns only events it has not seen
// and that belong to our operation; the monitor turns them into messages,
// remembers failures and the stack's own end event, and its stop() polls once
// more so the event that explains a failure is never lost.
//
// Our operation is the one started with our ClientRequestToken: CloudFormation
// stamps every event of an operation with the token it was started with, so
// events carrying another token belong to someone else's operation on the same
// stack and are never shown. An event without any token is kept: endpoints
// that do not report tokens (moto) send none at all.
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { CloudFormationApi } from './api';
import { awsError, isStackMissingError } from './aws-errors';
import type { ConvergeIo, StackActivity } from './messages';

export interface PolledEvent extends StackActivity {
  /** The ClientRequestToken of the operation that caused it, when the endpoint reports one. */
  token?: string;
}

function toActivity(event: StackEvent): PolledEvent {
  return {
    eventId: event.EventId ?? `${event.LogicalResourceId}-${event.Timestamp?.toISOString()}-${event.ResourceStatus}`,
    timestamp: event.Timestamp ?? new Date(0),
    logicalId: event.LogicalResourceId ?? '',
    physicalId: event.PhysicalResourceId,
    resourceType: event.ResourceType ?? '',
    status: event.ResourceStatus ?? '',
    reason: event.ResourceStatusReason,
    ...(event.ClientRequestToken ? { token: event.ClientRequestToken } : {}),
  };
}

function withoutToken({ token: _token, ...activity }: PolledEvent): StackActivity {
  return activity;
}

export class StackEventPoller {
  private readonly seen = new Set<string>();
  private tokens = false;

  /**
   * Prefer the stack ID: by name, a deleted stack's events cannot be read.
   * With `token`, events another operation's token stamps are left out.
   */
  constructor(
    private readonly cf: CloudFormationApi,
    private readonly stack: string,
    private readonly token?: string,
  ) {}

  /** Whether this endpoint stamps events with request tokens (AWS does; moto does not). */
  get reportsTokens(): boolean {
    return this.tokens;
  }

  /** Marks the events that exist now as seen, so only what happens next is reported. */
  async baseline(): Promise<void> {
    const page = await this.page(undefined);
    for (const event of page?.events ?? []) this.note(event);
  }

  /** Events not reported before, oldest first; with a token, only ours (and untokened ones). */
  async poll(): Promise<PolledEvent[]> {
    const fresh: PolledEvent[] = [];
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
    for (const event of fresh) this.note(event);
    return fresh.filter((event) => !this.token || event.token === undefined || event.token === this.token).reverse();
  }

  /** Whether the event carries our token: proof that our operation caused it. */
  isOurs(event: PolledEvent): boolean {
    return this.token !== undefined && event.token === this.token;
  }

  private note(event: PolledEvent): void {
    this.seen.add(event.eventId);
    if (event.token !== undefined) this.tokens = true;
  }

  private async page(nextToken: string | undefined): Promise<{ events: PolledEvent[]; nextToken?: string } | undefined> {
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

const STACK_TYPE = 'AWS::CloudFormation::Stack';

export class StackActivityMonitor {
  private readonly failed: StackActivity[] = [];
  private end: string | undefined;

  constructor(
    private readonly poller: StackEventPoller,
    private readonly io: ConvergeIo,
    private readonly stackName: string,
  ) {}

  async poll(): Promise<void> {
    for (const polled of await this.poller.poll()) {
      const event = withoutToken(polled);
      if (event.status === 'REVIEW_IN_PROGRESS') continue;
      if (this.poller.isOurs(polled) && event.resourceType === STACK_TYPE && event.logicalId === this.stackName && !event.status.endsWith('_IN_PROGRESS')) {
        this.end = event.status;
      }
      if (event.status.endsWith('_FAILED')) this.failed.push(event);
      this.io.emit({ type: 'stack-event', event });
    }
  }

  /**
   * The status our operation ended the stack in, from the stack's own event
   * carrying our token; `undefined` while it runs. Only then is a settled stack
   * known to be our doing and not another operation's.
   */
  get ownEnd(): string | undefined {
    return this.end;
  }

  /** Without tokens on events (moto), the stack's status is all there is to go by. */
  get knowsOwnEvents(): boolean {
    return this.poller.reportsTokens;
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
