import { Command, Option, UsageError } from 'clipanion';
import { SAMPLE_EVENTS, sampleEvent, sampleEventTypes } from '../events';

/** The indentation of the \`details\` text below: clipanion strips the first line's, so every line of the list needs it too. */
const DETAILS_INDENT = ' '.repeat(6);

export default class EventCommand extends Command {
  static paths = [['event']];

  static usage = Command.Usage({
    description: 'Print a sample event to feed `sparta invoke`',
    details: `
      Prints a realistic event of TYPE as Lambda would deliver it, like \`sam local generate-event\`:

      ${sampleEventTypes()
        .map((type) => `- \`${type}\`: ${SAMPLE_EVENTS[type].typeName}, from ${SAMPLE_EVENTS[type].decorator}`)
        .join(`\n${DETAILS_INDENT}`)}
    `,
    examples: [
      ['Invoke the scheduled function with a schedule event', '$0 event schedule > tick.json && $0 invoke tick --event tick.json'],
      ['Pipe an SNS notification with a subject into invoke', '$0 event sns --subject Disk --message "90% full" | $0 invoke onAlert --event -'],
    ],
  });

  type = Option.String({ name: 'TYPE' });
  region = Option.String('--region', { description: 'The region in ARNs and URLs', env: 'AWS_REGION' });
  topic = Option.String('--topic', { description: 'sns: the topic ARN' });
  subject = Option.String('--subject', { description: 'sns: the subject' });
  message = Option.String('--message', { description: 'sns: the message body' });
  rule = Option.String('--rule', { description: "schedule: the rule's name" });

  async execute(): Promise<number> {
    const event = sampleEvent(this.type, { topic: this.topic, subject: this.subject, message: this.message, rule: this.rule }, this.region);
    if (event === undefined) throw new UsageError(`Unknown event type "${this.type}"; known: ${sampleEventTypes().join(', ')}`);
    this.context.stdout.write(JSON.stringify(event, null, 2) + '\n');
    return 0;
  }
}
