#!/usr/bin/env node
import { Builtins, Cli } from 'clipanion';
import { commands } from './commands';

const pkg = require('../../package.json') as { version: string };

export function createCli(): Cli {
  const cli = new Cli({ binaryLabel: 'sparta', binaryName: 'sparta', binaryVersion: pkg.version });
  cli.register(Builtins.HelpCommand);
  cli.register(Builtins.VersionCommand);
  for (const command of commands) cli.register(command);
  return cli;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  createCli().runExit(process.argv.slice(2));
}
