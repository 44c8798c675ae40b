import { Command, Option, UsageError } from 'clipanion';
import { deployedTemplate } from '../converge/stack';
import { diffTemplates, hasDifferences } from '../diff/compare';
import { renderDiff } from '../diff/render';
import { buildAndMarshal } from '../pipeline';
import { AwsCommand } from './aws';
import { buildOptions, withBuildFlags } from './build-options';

export default class DiffCommand extends withBuildFlags(AwsCommand) {
  static paths = [['diff']];

  static usage = Command.Usage({
    description: 'Compare the template your code gives with the deployed one',
    details: `
      Builds the service as \`sparta build\` does, reads the deployed stack's template and lists what would change, resource by resource and property by property: \`[+]\` added, \`[-]\` removed, \`[~]\` modified, with \`(replaces)\` where CloudFormation replaces the resource for that change. Nothing is uploaded and no change set is created.

      A last section lists what widens what the functions may do or who may call them: new IAM grants (a \`*\` marked WILDCARD), new invoke permissions, new event sources.

      Exits 0 when nothing differs and 1 when something does, for CI.
    `,
    examples: [
      ['Before provisioning', '$0 diff'],
      ['As JSON, for scripts', '$0 diff --format json'],
    ],
  });

  format = Option.String('--format', 'text', { description: 'text (default) or json' });

  async execute(): Promise<number> {
    if (this.format !== 'text' && this.format !== 'json') throw new UsageError(`--format must be text or json, not "${this.format}"`);
    // Bad AWS settings fail before the (slow) build.
    const { apis } = await this.aws();
    const built = await buildAndMarshal(buildOptions(this, this.context));
    const diff = diffTemplates(await deployedTemplate(apis.cloudFormation, built.service.name), built.template);
    this.context.stdout.write(this.format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(built.service.name, diff));
    return hasDifferences(diff) ? 1 : 0;
  }
}
