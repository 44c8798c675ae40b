import { Command, Option } from 'clipanion';
import { invokeFailed, invokeTimeout } from '../errors';
import { invokeFunction } from '../invoke';
import { parseEnvAssignments, readEvent } from '../invoke/input';
import { BaseCommand } from './base';

export default class InvokeCommand extends BaseCommand {
  static paths = [['invoke']];

  static usage = Command.Usage({
    description: "Run a function's built archive locally, the way Lambda would",
    details: `
      Unpacks the archive that \`sparta build\` wrote for FUNCTION (the bytes \`provision\` uploads) and runs it in a
      separate \`node\` process with Lambda's environment, handler string, context and the function's timeout and memory.
      FUNCTION is a function id (\`Class.method\`), a method name, or the deployed function name.

      The function's logs (with Lambda's START, END and REPORT lines) go to standard error, then its result goes to
      standard output as JSON. The command fails when the function throws or times out.

      \`discover()\` gets a document of placeholder values shaped like the deployed one; pass
      \`--env SPARTA_DISCOVERY=...\` for real ones.
    `,
    examples: [
      ['Invoke a function with no event ({})', '$0 invoke hello'],
      ['Invoke with a sample event from a file', '$0 event schedule > tick.json && $0 invoke Hello.tick --event tick.json'],
      ['Read the event from standard input, override a variable', '$0 event sns | $0 invoke onAlert --event - --env GREETING_NAME=you'],
    ],
  });

  function = Option.String({ name: 'FUNCTION' });
  event = Option.String('--event,-e', { description: 'A JSON file with the event, or - for standard input' });
  env = Option.Array('--env', [], { description: 'KEY=VALUE set in the function environment (repeatable)' });
  out = Option.String('--out,-o', { description: 'The build output folder (default: .sparta beside the tsconfig)' });

  async execute(): Promise<number> {
    const env = parseEnvAssignments(this.env);
    const event = await readEvent(this.event, this.context.stdin);
    const { fn, timeoutSeconds, outcome } = await invokeFunction({
      project: this.project,
      service: this.service,
      function: this.function,
      event,
      env,
      out: this.out,
      logs: this.context.stderr,
    });
    if (outcome.status === 'succeeded') {
      this.context.stdout.write(JSON.stringify(outcome.result, null, 2) + '\n');
      return 0;
    }
    this.context.stdout.write(JSON.stringify(outcome.error, null, 2) + '\n');
    if (outcome.status === 'timed-out') {
      throw invokeTimeout(fn.id, outcome.phase, timeoutSeconds);
    }
    const samples = [...new Set(fn.events.map((event) => event.kind).filter((kind) => kind !== 'pattern'))];
    const hint =
      this.event === undefined && samples.length > 0
        ? `it ran with {} as its event; try \`sparta event ${samples[0]} | sparta invoke ${this.function} --event -\``
        : 'its logs above (on stderr) show where it failed';
    throw invokeFailed(fn.id, outcome.error.errorType, outcome.error.errorMessage, hint);
  }
}
