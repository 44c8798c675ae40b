#!/usr/bin/env node
import { Builtins, Cli, type BaseContext, type Command } from 'clipanion';
import { commands } from './commands';
import { renderError, SpartaError } from './errors';

const pkg = require('../../package.json') as { version: string };

/**
 * clipanion writes every error to stdout. sparta's stdout carries only a
 * command's result (`explain --format json`, `invoke`'s result), so that
 * `sparta invoke f > out.json` gets valid JSON or nothing: errors, warnings
 * and progress go to stderr, and a SpartaError is rendered here, once.
 */
class SpartaCli extends Cli<BaseContext> {
  error(error: unknown, options?: { colored?: boolean; command?: Command<BaseContext> | null }): string {
    if (SpartaError.is(error)) {
      const label = this.format(options?.colored).error('Sparta Error');
      return `${label}: ${renderError(error)}\n`;
    }
    return super.error(error as Error, options);
  }

  // clipanion declares run() with overloads; one implementation serves them all.
  async run(input: Command<BaseContext> | string[], userContext?: Partial<BaseContext> | void): Promise<number> {
    const context: BaseContext = { ...Cli.defaultContext, ...(userContext ?? {}) };
    const colored = context.colorDepth > 1;
    let command: Command<BaseContext>;
    try {
      command = Array.isArray(input) ? this.process(input, context) : input;
    } catch (error) {
      context.stderr.write(this.error(error, { colored }));
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
