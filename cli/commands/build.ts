import * as path from 'node:path';
import { Command, Option } from 'clipanion';
import { summaryTable } from '../package';
import { buildAndMarshal } from '../pipeline';
import { isTerminal } from '../terminal';
import { BaseCommand } from './base';
import { buildOptions, withBuildFlags } from './build-options';

export default class BuildCommand extends withBuildFlags(BaseCommand) {
  static paths = [['build']];

  static usage = Command.Usage({
    description: 'Bundle and zip every @Lambda function and marshal the CloudFormation template, without deploying',
    details: `
      The program is type-checked first, as \`tsc --noEmit\` would: a type error stops the build before anything is bundled (\`--no-typecheck\` skips the check; its incremental information stays in \`<out>/.tsbuildinfo\`).

      Each function gets its own tree-shaken bundle (rollup) with \`index.js\` at the archive's root, zipped so that the same code always gives the same bytes. Archives go to \`<out>/<service>/<function>-<sha256 prefix>.zip\`, and \`<out>/build.json\` lists them with their sizes, hashes and handler strings.

      \`@aws-sdk/*\` is bundled (tree-shaken, it starts faster than the SDK the Lambda runtime provides) unless \`--external-aws-sdk\` is given. \`--out\` is relative to the current directory; by default it is \`.sparta\` beside the tsconfig.
    `,
    examples: [
      ['Build the project in the current directory', '$0 build'],
      ['Build one service of a project, minified, with source maps', '$0 build --project app/tsconfig.json --service orders --minify --sourcemap'],
    ],
  });


  async execute(): Promise<number> {
    const { stdout, stderr } = this.context;
    const { artifacts, outDir } = await buildAndMarshal(buildOptions(this, this.context));
    if (isTerminal(stderr) && artifacts.length === 0) stderr.write('\r\u001b[K');
    // The summary is the command's result: stdout; the progress lines above it went to stderr.
    stdout.write(`${summaryTable(artifacts, path.relative(process.cwd(), outDir) || '.')}\n`);
    return 0;
  }
}
