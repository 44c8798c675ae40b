import { Command, Option } from 'clipanion';
import { DEFAULT_POLL_INTERVAL_MS } from '../converge/converge';
import { deleteService } from '../converge/delete';
import { servicePrefix } from '../converge/plan';
import { checkBucketName } from '../converge/bucket-name';
import { textIo } from '../converge/render';
import { confirmationRequired } from '../errors';
import { resolveServiceName } from '../pipeline';
import { resolveStage, stageFlag } from './build-options';
import { AwsCommand, confirmOnTerminal, parseTimeout, withInterrupt } from './aws';
import { isTerminal } from '../terminal';

export default class DeleteCommand extends AwsCommand {
  static paths = [['delete']];

  static usage = Command.Usage({
    description: "Delete the service's stack",
    details: `
      Deletes the CloudFormation stack and waits, streaming its events. The artifact bucket and its objects stay,
      unless \`--purge-artifacts\` is given; then only the keys under the service's prefix (\`<service>/\`) are deleted,
      and only after the stack reached DELETE_COMPLETE. With no stack to delete (a wrong \`--region\`?) nothing is
      purged unless \`--force\`.

      On a terminal it asks for confirmation unless \`--yes\`; elsewhere \`--yes\` is required.
    `,
    examples: [
      ['Delete the stack, asking first', '$0 delete'],
      ['Delete without asking, and remove the uploaded archives too', '$0 delete --service hello-sparta --yes --purge-artifacts'],
    ],
  });

  stage = stageFlag();

  yes = Option.Boolean('--yes,-y', false, { description: 'Do not ask for confirmation' });

  purgeArtifacts = Option.Boolean('--purge-artifacts', false, { description: "Also delete the service's objects in the artifact bucket" });

  s3Bucket = Option.String('--s3-bucket', { description: "The artifact bucket, for --purge-artifacts (default: the stack's ArtifactBucket)" });

  force = Option.Boolean('--force', false, { description: 'With --purge-artifacts: purge even when there is no stack to delete' });

  timeout = Option.String('--timeout', '60m', { description: 'Give up waiting after this long (90s, 20m, 1h; default 60m)' });

  async execute(): Promise<number> {
    const timeoutMs = parseTimeout(this.timeout);
    if (this.s3Bucket !== undefined) checkBucketName(this.s3Bucket);
    const stackName = resolveServiceName({ tsconfigPath: this.tsconfigPath(), service: this.service, stage: resolveStage(this.stage) });
    const { stdin, stdout, stderr } = this.context;
    if (!this.yes) {
      if (!isTerminal(stdin) || !isTerminal(stderr)) {
        throw confirmationRequired(`delete stack ${stackName}`);
      }
      const what = this.purgeArtifacts ? `stack ${stackName} and its artifacts (${servicePrefix(stackName)}*)` : `stack ${stackName}`;
      if (!(await confirmOnTerminal(stdin, stderr, `delete ${what}?`))) {
        stderr.write('nothing deleted\n');
        return 1;
      }
    }
    const { apis } = await this.aws();
    try {
      const result = await withInterrupt((signal) =>
        deleteService(
          { stackName, purgeArtifacts: this.purgeArtifacts, bucket: this.s3Bucket, force: this.force },
          { aws: apis, io: textIo(stderr, stdout), timeoutMs, pollIntervalMs: DEFAULT_POLL_INTERVAL_MS, signal },
        ),
      );
      stdout.write(result.type === 'missing' ? `stack ${stackName} does not exist; nothing to delete\n` : `deleted stack ${stackName}\n`);
      return 0;
    } catch (error) {
      return this.interrupted(error);
    }
  }
}
