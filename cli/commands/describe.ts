import { Command, Option, UsageError } from 'clipanion';
import { describeService } from '../converge/describe';
import { renderDescription } from '../converge/render';
import { resolveServiceName } from '../pipeline';
import { resolveStage, stageFlag } from './build-options';
import { AwsCommand } from './aws';

export default class DescribeCommand extends AwsCommand {
  static paths = [['describe']];

  static usage = Command.Usage({
    description: "Show the service's stack: status, outputs and resources",
    examples: [
      ['Describe the stack of the project in the current folder', '$0 describe'],
      ['As JSON, for scripts', '$0 describe --service hello-sparta --format json'],
    ],
  });

  stage = stageFlag();

  format = Option.String('--format', 'text', { description: 'text (default) or json' });

  async execute(): Promise<number> {
    if (this.format !== 'text' && this.format !== 'json') throw new UsageError(`--format must be text or json, not "${this.format}"`);
    const stackName = resolveServiceName({ tsconfigPath: this.tsconfigPath(), service: this.service, stage: resolveStage(this.stage) });
    const description = await describeService((await this.aws()).apis.cloudFormation, stackName);
    this.context.stdout.write(this.format === 'json' ? `${JSON.stringify(description, null, 2)}\n` : renderDescription(description));
    return 0;
  }
}
