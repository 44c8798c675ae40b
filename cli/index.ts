#!/usr/bin/env node
import { Builtins, Cli, type BaseContext, type Command, type CommandClass } from 'clipanion';
import { commands } from './commands';
import { namePlaceholders } from './commands/flags';
import { renderError, SpartaError } from './errors';
import { colorDepthOf } from './terminal';

const pkg = require('../../package.json') as { version: string };

/**
 * clipanion writes every error to stdout. sparta's stdout carries only a
 * command's result (`explain --format json`, `invoke`'s result), so that
 * `sparta invoke f > out.json` gets valid JSON or nothing: errors, warnings
 * and progress go to stderr, and a SpartaError is rendered here, once.
 */
class SpartaCli extends Cli<BaseContext> {
  /**
   * Every usage text (help, the command list, the usages inside errors) is made
   * by the command's builder: naming the option values there names them everywhere.
   */
  register(commandClass: CommandClass<BaseContext>): void {
    super.register(commandClass);
    const { builder } = this.registrations.get(commandClass)!;
    const usage = builder.usage.bind(builder);
    builder.usage = (options) => {
      const made = usage(options);
      return { usage: namePlaceholders(made.usage), options: made.options.map((option) => ({ ...option, definition: namePlaceholders(option.definition) })) };
    };
  }

  error(error: unknown, options?: { colored?: boolean; command?: Command<BaseContext> | null }): string {
    if (SpartaError.is(error)) {
      const label = this.format(options?.colored).error('Sparta Error');
      return `${label}: ${renderError(error)}\n`;
    }
    return super.error(error as Error, options);
  }

  // clipanion declares run() with overloads; one implementation serves them all.
  async run(input: Command<BaseContext> | string[], userContext?: Partial<BaseContext> | void): Promise<number> {
    const given = userContext ?? {};
    // clipanion's default depth ignores whether the output is a terminal at all.
    const context: BaseContext = { ...Cli.defaultContext, ...given, colorDepth: given.colorDepth ?? colorDepthOf(given.stderr ?? process.stderr) };
    const colored = context.colorDepth > 1;
    // Usage texts inside errors ask the instance, not the context, whether to colour.
    Object.assign(this, { enableColors: colored });
    let command: Command<BaseContext>;
    try {
      command = Array.isArray(input) ? this.process(input, context) : input;
    } catch (error) {
      context.stderr.write(this.error(unknownCommand(error, input as string[]) ?? error, { colored }));
      return 1;
    }
    const execute = command.validateAndExecute.bind(command);
    command.validateAndExecute = async () => {
      try {
        return await execute();
      } catch (error) {
        context.stderr.write(this.error(error, { colored, command }));
        return 1;
      }
    };
    return super.run(command, context);
  }
}

/** The command names sparta knows, for suggestions: `build`, `delete`, … */
const COMMAND_NAMES = commands.flatMap((command) => (command.paths ?? []).map((path) => path.join(' '))).sort();

/** Edit distance, for "did you mean": a typo is one or two keystrokes away. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * A first word that is no command gets a suggestion instead of clipanion's
 * list of every command's usage; anything else (a bad flag of a real
 * command) keeps clipanion's own message.
 */
function unknownCommand(error: unknown, input: string[]): Error | undefined {
  if ((error as Error)?.name !== 'UnknownSyntaxError') return undefined;
  const word = input[0];
  if (word === undefined || word.startsWith('-') || COMMAND_NAMES.some((name) => name.split(' ')[0] === word)) return undefined;
  const near = COMMAND_NAMES.map((name) => ({ name, d: distance(word, name) })).filter(({ d }) => d <= 2).sort((a, b) => a.d - b.d);
  const known = `the commands are ${COMMAND_NAMES.join(', ')}; \`sparta --help\` describes them`;
  const message = near.length > 0 ? `"${word}"; did you mean \`sparta ${near[0].name}\`? (${known})` : `"${word}": ${known}`;
  // clipanion prints `Unknown Command: …` and, with type none, no wall of usage.
  return Object.assign(new Error(message), { name: 'UnknownCommand', clipanion: { type: 'none' } });
}

export function createCli(): Cli<BaseContext> {
  const cli = new SpartaCli({ binaryLabel: 'sparta', binaryName: 'sparta', binaryVersion: pkg.version });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  for (const command of commands) cli.register(command);
  return cli;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  createCli().runExit(process.argv.slice(2));
}
