import { Command, Option, UsageError } from 'clipanion';
import { functionSample, SAMPLE_EVENTS, sampleEvent, sampleEventTypes } from '../events';
import { loadProjectManifest, selectService } from '../project';
import { BaseCommand } from './base';

/** The indentation of the \`details\` text below: clipanion strips the first line's, so every line of the list needs it too. */
const DETAILS_INDENT = ' '.repeat(6);

/** `--set key=value` pairs; a pair without `=` is a usage error that shows the form. */
function setValues(pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--set "${pair}" is not KEY=VALUE; write it like --set queue=arn:aws:sqs:us-east-1:123456789012:jobs`);
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}

export default class EventCommand extends BaseCommand {
  static paths = [['event']];

  static usage = Command.Usage({
    description: 'Print a sample event to feed `sparta invoke`',
    details: `
      Prints a realistic event of TYPE as Lambda would deliver it, like \`sam local generate-event\`.
      With \`--function\`, the event is the one that function's own source delivers: its queue, topic or rule, named
      as \`sparta invoke\` names them for \`discover()\` (ARNs in the sample account 123456789012, generated names as
      \`<service>-<LogicalId>\`). That reads the project, as \`sparta explain\` does. Without it the sample names
      placeholders and nothing is read. The flags below replace single values of either.

      The types:

      ${sampleEventTypes()
        .map((type) => `- \`${type}\`: ${SAMPLE_EVENTS[type].typeName}, from ${SAMPLE_EVENTS[type].decorator}`)
        .join(`\n${DETAILS_INDENT}`)}
    `,
    examples: [
      ['Invoke the scheduled function with its own schedule event', '$0 event schedule --function Hello.tick > tick.json && $0 invoke Hello.tick --event tick.json'],
      ["Feed a function the notification of the topic it subscribes to", '$0 event sns --function onAlert --subject Disk | $0 invoke onAlert --event -'],
      ['Pipe an SNS notification with a subject into invoke', '$0 event sns --subject Disk --message "90% full" | $0 invoke onAlert --event -'],
      ["A function's own queue, with a body of your own", '$0 event sqs --function Jobs.run --set body=\'{"kind":"resize"}\''],
    ],
  });

  type = Option.String({ name: 'TYPE' });
  function = Option.String('--function,-f', { description: "The function (Class.method, method name or deployed name) whose own source's names the sample carries" });
  region = Option.String('--region', { description: 'The region in ARNs and URLs', env: 'AWS_REGION' });
  topic = Option.String('--topic', { description: 'sns: the topic ARN' });
  subject = Option.String('--subject', { description: 'sns: the subject' });
  message = Option.String('--message', { description: 'sns: the message body' });
  rule = Option.String('--rule', { description: "schedule: the rule's name" });
  set = Option.Array('--set', [], {
    description: 'Any other value a sample reads, as KEY=VALUE (repeatable): sqs queue, body; dynamodb stream, id; kinesis stream, data, partitionKey; s3 bucket, key; logs group, filter, message; ses recipient, sender, subject; eventbridge source, detailType, detail (JSON)',
  });

  async execute(): Promise<number> {
    if (!Object.prototype.hasOwnProperty.call(SAMPLE_EVENTS, this.type)) {
      throw new UsageError(`Unknown event type "${this.type}"; known: ${sampleEventTypes().join(', ')}`);
    }
    const region = this.region ?? 'us-east-1';
    const named = { topic: this.topic, subject: this.subject, message: this.message, rule: this.rule };
    // A named flag left out must not blank a --set of the same key.
    const flags: Record<string, string | undefined> = { ...setValues(this.set), ...Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined)) };
    let values: Record<string, string | undefined> = flags;
    if (this.function !== undefined) {
      const service = selectService(loadProjectManifest(this.tsconfigPath()).manifest, this.service);
      const sample = functionSample(service, this.function, this.type, region);
      if (sample.events.length > 1) {
        this.context.stderr.write(`${sample.fn.id} has ${sample.events.length} sources that deliver ${this.type} events; this is the first's (the flags replace its values)\n`);
      }
      // A flag given replaces the function's value; one left out keeps it.
      values = { ...sample.values, ...Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)) };
    }
    const event = sampleEvent(this.type, values, region);
    this.context.stdout.write(JSON.stringify(event, null, 2) + '\n');
    return 0;
  }
}
