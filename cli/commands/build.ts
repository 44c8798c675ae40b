import * as path from 'node:path';
import { Command, Option } from 'clipanion';
import { pendingLine, progressLine, summaryTable } from '../package';
import { buildAndMarshal } from '../pipeline';
import { BaseCommand } from './base';

export default class BuildCommand extends BaseCommand {
  static paths = [['build']];

  static usage = Command.Usage({
    description: 'Bundle and zip every @Lambda function and marshal the CloudFormation template, without deploying',
    details: `
      Each function gets its own tree-shaken bundle (rollup) with \`index.js\` at the archive's root, zipped so that the same code always gives the same bytes. Archives go to \`<out>/<service>/<function>-<sha256 prefix>.zip\`, and \`<out>/build.json\` lists them with their sizes, hashes and handler strings.

      \`@aws-sdk/*\` is bundled (tree-shaken, it starts faster than the SDK the Lambda runtime provides) unless \`--external-aws-sdk\` is given. \`--out\` is relative to the current directory; by default it is \`.sparta\` beside the tsconfig.
    `,
    examples: [
      ['Build the project in the current directory', '$0 build'],
      ['Build one service of a project, minified, with source maps', '$0 build --project app/tsconfig.json --service orders --minify --sourcemap'],
    ],
  });

  out = Option.String('--out,-o', { description: 'Where archives and build.json go (default: .sparta beside the tsconfig)' });
  minify = Option.Boolean('--minify', false, { description: 'Minify the bundles with terser' });
  sourcemap = Option.Boolean('--sourcemap', false, { description: 'Ship source maps (and enable them in the functions)' });
  externalAwsSdk = Option.Boolean('--external-aws-sdk', false, { description: 'Use the AWS SDK the Lambda runtime provides instead of bundling it' });

  async execute(): Promise<number> {
    const { stdout, stderr } = this.context;
    const tty = Boolean((stdout as NodeJS.WriteStream).isTTY);
    const color = tty && (this.context.colorDepth ?? 1) > 1;
    const { artifacts, outDir } = await buildAndMarshal({
      tsconfigPath: this.project,
      service: this.service,
      out: this.out,
      minify: this.minify,
      sourcemap: this.sourcemap,
      bundleAwsSdk: !this.externalAwsSdk,
      onStart: (service) => tty && stdout.write(pendingLine(service.functions.length)),
      onFunctionBuilt: (artifact) => stdout.write(`${tty ? '\r\u001b[K' : ''}${progressLine(artifact, { tty, color })}\n`),
      onWarning: (message) => stderr.write(`warning: ${message}\n`),
    });
    if (tty && artifacts.length === 0) stdout.write('\r\u001b[K');
    stdout.write(`\n${summaryTable(artifacts, path.relative(process.cwd(), outDir) || '.')}\n`);
    return 0;
  }
}
