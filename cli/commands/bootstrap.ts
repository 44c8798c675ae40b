import { Command } from 'clipanion';
import { bootstrapBucket, defaultBucket } from '../converge/bootstrap';
import { resolvedRegion } from '../converge/clients';
import { renderTable } from '../output/table';
import { AwsCommand } from './aws';

export default class BootstrapCommand extends AwsCommand {
  static paths = [['bootstrap']];

  static usage = Command.Usage({
    description: 'Create the artifact bucket sparta uses when --s3-bucket is not given',
    details: `
      The bucket is \`sparta-artifacts-<account>-<region>\`, one per account and region as CDK's staging bucket is: encrypted (SSE-S3), public access blocked, versioning on, a lifecycle rule that expires old versions after 30 days, and a policy that refuses requests without TLS.

      Each setting is read first and written only when it differs: a second run changes nothing, and your own lifecycle rules and policy statements stay. \`provision\` without \`--s3-bucket\` then uses it.
    `,
    examples: [
      ['For the current region', '$0 bootstrap'],
      ['For another region and profile', '$0 bootstrap --region eu-west-1 --profile prod'],
    ],
  });

  async execute(): Promise<number> {
    const { sdk, apis } = await this.aws();
    const region = await resolvedRegion(sdk);
    const result = await bootstrapBucket(apis, region, await defaultBucket(apis, region));
    this.context.stdout.write(`bucket ${result.bucket} (${result.region})\n${renderTable(['SETTING', 'STATE'], result.settings.map((setting) => [setting.name, setting.state]), '  ')}`);
    return 0;
  }
}
