/** What a sample event may be tailored with; each type reads the parts it has. */
export interface SampleOptions {
  region: string;
  account: string;
  /** The event's time. */
  now: Date;
  /** SNS: the topic ARN. */
  topic?: string;
  /** SNS: the subject. */
  subject?: string;
  /** SNS: the message body. */
  message?: string;
  /** Schedule: the rule's name. */
  rule?: string;
}

export interface SampleEvent {
  /** The decorator that delivers this event to a function. */
  decorator: string;
  /** The matching type in @types/aws-lambda. */
  typeName: string;
  create(options: SampleOptions): unknown;
}
