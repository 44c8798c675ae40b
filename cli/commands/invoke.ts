import { Command, Option } from 'clipanion';
import { LAMBDA_LIMITS } from '../../manifest/defaults';
import { deliveredSampleTypes } from '../events';
import { invokeFailed, invokeOutOfMemory, invokeTimeout, responseTooLarge } from '../errors';
import { invokeFunction } from '../invoke';
import { parseEnvAssignments, readEvent } from '../invoke/input';
import { BaseCommand } from './base';
import { buildOptions, resolveStage, withBuildFlags } from './build-options';

export default class InvokeCommand extends withBuildFlags(BaseCommand) {
  static paths = [['invoke']];

  static usage = Command.Usage({
    description: "Run a function's built archive locally, the way Lambda would",
    details: `
      First rebuilds the service as \`sparta build\` does (the same flags; progress on standard error), so a stale
      archive never runs; \`--no-build\` runs the archive on disk as it is. Then unpacks FUNCTION's archive (the bytes
      \`provision\` uploads) and runs it in a separate \`node\` process with Lambda's environment, handler string, context and the function's timeout and memory.
      FUNCTION is a function id (\`Class.method\`), a method name, or the deployed function name.

      The function's logs (with Lambda's START, END and REPORT lines) and any error of sparta's go to standard error;
      standard output carries only the invocation's payload as JSON: the result, or, when the function fails, the error
      document Lambda would return. The command fails (exit 1) when the function throws, times out, runs out of memory
      or returns more than 6 MB.

      \`discover()\` gets a document of placeholder values shaped like the deployed one; pass
      \`--env SPARTA_DISCOVERY=...\` for real ones.
    `,
    examples: [
      ['Invoke a function with no event ({})', '$0 invoke hello'],
      ['Invoke the archive built earlier, without rebuilding', '$0 invoke hello --no-build'],
      ['Invoke with a sample event from a file', '$0 event schedule > tick.json && $0 invoke Hello.tick --event tick.json'],
      ['Read the event from standard input, override a variable', '$0 event sns | $0 invoke onAlert --event - --env GREETING_NAME=you'],
    ],
  });

  function = Option.String({ name: 'FUNCTION' });
  event = Option.String('--event,-e', { description: 'A JSON file with the event, or - for standard input' });
  env = Option.Array('--env', [], { description: 'KEY=VALUE set in the function environment (repeatable)' });
  build = Option.Boolean('--build', true, { description: 'Rebuild the service first, as `sparta build` does (--no-build runs the archive on disk as it is)' });

  async execute(): Promise<number> {
    const env = parseEnvAssignments(this.env);
    const event = await readEvent(this.event, this.context.stdin);
    const { service, fn, region, timeoutSeconds, memorySize, outcome } = await invokeFunction({
      project: this.tsconfigPath(),
      service: this.service,
      stage: resolveStage(this.stage),
      function: this.function,
      event,
      env,
      out: this.out,
      logs: this.context.stderr,
      build: this.build ? buildOptions(this, this.context) : undefined,
    });
    if (outcome.status === 'succeeded') {
      this.context.stdout.write(JSON.stringify(outcome.result, null, 2) + '\n');
      return 0;
    }
    // A failed invocation's payload is the error document, as Lambda returns it
    // (`aws lambda invoke` writes it to the outfile, `sam local invoke` to stdout).
    this.context.stdout.write(JSON.stringify(outcome.error, null, 2) + '\n');
    if (outcome.status === 'timed-out') {
      throw invokeTimeout(fn.id, outcome.phase, timeoutSeconds);
    }
    if (outcome.status === 'out-of-memory') throw invokeOutOfMemory(fn.id, memorySize, outcome.error.errorMessage);
    if (outcome.error.errorType === 'Function.ResponseSizeTooLarge') throw responseTooLarge(fn.id, LAMBDA_LIMITS.syncPayloadBytes);
    // The sample its own source delivers, with its real queue, topic or rule: `event --function` fills them in.
    const [sample] = this.event === undefined ? deliveredSampleTypes(service, fn, region) : [];
    // Both commands must find the same project and service as this one did.
    const scope = [this.project && ` --project ${shellWord(this.project)}`, this.service && ` --service ${shellWord(this.service)}`].join('');
    const hint =
      sample !== undefined
        ? `it ran with {} as its event; try \`sparta event ${sample} --function ${fn.id}${scope} | sparta invoke ${fn.id}${scope} --event -\``
        : 'its logs above (on stderr) show where it failed';
    throw invokeFailed(fn.id, outcome.error.errorType, outcome.error.errorMessage, hint);
  }
}

/** `word` as a shell reads it back: quoted when it holds anything but plain path characters. */
function shellWord(word: string): string {
  return /^[\w./@:=+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
