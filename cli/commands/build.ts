import * as path from 'node:path';
import { Command, Option } from 'clipanion';
import { summaryTable } from '../package';
import { buildAllServices, buildAndMarshal } from '../pipeline';
import { isTerminal } from '../terminal';
import { BaseCommand } from './base';
import { buildOptions, withBuildFlags } from './build-options';

export default class BuildCommand extends withBuildFlags(BaseCommand) {
  static paths = [['build']];

  static usage = Command.Usage({
    description: 'Bundle and zip every @Lambda function and marshal the CloudFormation template, without deploying',
    details: `
      The program is type-checked first, as \`tsc --noEmit\` would: a type error stops the build before anything is bundled (\`--no-typecheck\` skips the check; its incremental information stays in \`<out>/.tsbuildinfo\`).

      Without \`--service\`, every service of the project is built, each into its own folder \`<out>/<service>\` (\`<out>/<service>-<stage>\` with a stage): building one never touches another's outputs.

      Each function gets its own tree-shaken bundle (rollup) with \`index.js\` at the archive's root (\`index.mjs\`, ES modules, for a function with \`format: 'esm'\`), zipped so that the same code always gives the same bytes. Archives go to \`<out>/<service>/<function>-<sha256 prefix>.zip\`, \`<out>/<service>/build.json\` lists them with their sizes, hashes and handler strings, and \`<out>/<service>/template.json\` is the stack's template.

      A service whose inputs (every project file outside node_modules and the output folder, the lockfile, the installed packages' package.json files, the files a linked package (npm link, \`file:\`, a workspace) would publish, the tsconfig, sparta's and node's versions, the flags and the stage) are those of its last build is not built again: its outputs are reused as they are, and the build says so.

      \`@aws-sdk/*\` is bundled (tree-shaken, it starts faster than the SDK the Lambda runtime provides) unless \`--external-aws-sdk\` is given. \`--out\` is relative to the current directory; by default it is \`.sparta\` beside the tsconfig.
    `,
    examples: [
      ['Build the project in the current directory', '$0 build'],
      ['Build one service of a project, minified, with source maps', '$0 build --project app/tsconfig.json --service orders --minify --sourcemap'],
    ],
  });


  async execute(): Promise<number> {
    const { stdout, stderr } = this.context;
    const options = buildOptions(this, this.context);
    const built = options.service === undefined ? await buildAllServices(options) : [await buildAndMarshal(options)];
    if (isTerminal(stderr) && built.every(({ artifacts }) => artifacts.length === 0)) stderr.write('\r\u001b[K');
    // The summaries are the command's result: stdout; the progress lines above them went to stderr.
    stdout.write(`${built.map(({ artifacts, outDir }) => summaryTable(artifacts, path.relative(process.cwd(), outDir) || '.')).join('\n\n')}\n`);
    return 0;
  }
}
