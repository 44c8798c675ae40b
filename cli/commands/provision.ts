import { Command, Option, UsageError } from 'clipanion';
import { checkBucketName } from '../converge/bucket-name';
import { converge, DEFAULT_POLL_INTERVAL_MS, isDestructive } from '../converge/converge';
import { resolvedRegion } from '../converge/clients';
import { changeRows, table, textIo } from '../converge/render';
import { prepareDeployment } from '../pipeline';
import { BUILD_FLAG_DESCRIPTIONS, buildOptions } from './build-options';
import { AwsCommand, confirmOnTerminal, isTerminal, parseTimeout, withInterrupt } from './aws';

export default class ProvisionCommand extends AwsCommand {
  static paths = [['provision']];

  static usage = Command.Usage({
    description: 'Build the service and bring its CloudFormation stack in line',
    details: `
      Builds and packages every function (the same flags as \`sparta build\`), uploads the archives and the template to the bucket (only keys not there yet:
      every key carries a content hash), and converges the stack through a change set, streaming its events.

      Nothing changed means nothing uploaded and no change set. \`--noop\` prints the change set without executing it.
      On a terminal, a change set that removes or replaces resources asks first unless \`--yes\`.

      Ctrl-C stops watching; a stack operation already started keeps running in AWS.
    `,
    examples: [
      ['Provision the project in the current folder', '$0 provision --s3-bucket my-artifacts'],
      ['Preview the changes only', '$0 provision --s3-bucket my-artifacts --noop'],
      ['Against a local moto server', '$0 provision --s3-bucket my-artifacts --endpoint-url http://127.0.0.1:5000 --region us-east-1'],
    ],
  });

  // Not `required: true`: clipanion reports a missing required option as "Command not found".
  s3Bucket = Option.String('--s3-bucket', { description: 'Bucket for the archives and the template (required; it must exist)' });

  noop = Option.Boolean('--noop', false, { description: 'Print the change set, execute nothing' });

  yes = Option.Boolean('--yes,-y', false, { description: 'Do not ask before removing or replacing resources' });

  replaceFailed = Option.Boolean('--replace-failed', false, {
    description: 'Delete and recreate a stack whose first creation failed (ROLLBACK_COMPLETE)',
  });

  out = Option.String('--out,-o', { description: BUILD_FLAG_DESCRIPTIONS.out });
  minify = Option.Boolean('--minify', false, { description: BUILD_FLAG_DESCRIPTIONS.minify });
  sourcemap = Option.Boolean('--sourcemap', false, { description: BUILD_FLAG_DESCRIPTIONS.sourcemap });
  externalAwsSdk = Option.Boolean('--external-aws-sdk', false, { description: BUILD_FLAG_DESCRIPTIONS.externalAwsSdk });
  typecheck = Option.Boolean('--typecheck', true, { description: BUILD_FLAG_DESCRIPTIONS.typecheck });

  timeout = Option.String('--timeout', '60m', { description: 'Give up waiting after this long (90s, 20m, 1h; default 60m)' });

  async execute(): Promise<number> {
    if (this.s3Bucket === undefined) throw new UsageError('provision needs --s3-bucket BUCKET: the bucket for the archives and the template');
    checkBucketName(this.s3Bucket);
    const timeoutMs = parseTimeout(this.timeout);
    // Bad AWS settings fail before the (slow) build.
    const { sdk, apis } = await this.aws();
    const region = await resolvedRegion(sdk);
    const prepared = await prepareDeployment({ ...buildOptions(this, this.context), bucket: this.s3Bucket });
    const plan = { ...prepared, noop: this.noop, replaceFailed: this.replaceFailed };
    const { stdin, stdout } = this.context;
    const askFirst = !this.yes && !this.noop && isTerminal(stdin) && isTerminal(stdout);
    try {
      const result = await withInterrupt(async (signal) =>
        converge(plan, {
          aws: apis,
          region,
          io: textIo(stdout),
          timeoutMs,
          pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
          signal,
          confirm: askFirst
            ? (changes) => {
                const destructive = changes.filter(isDestructive);
                stdout.write(`these changes remove or replace resources:\n${table(changeRows(destructive)).map((l) => `  ${l}\n`).join('')}`);
                return confirmOnTerminal(stdin, stdout, `apply the change set to ${plan.stackName}?`);
              }
            : undefined,
        }),
      );
      if (result.type === 'declined') {
        stdout.write('not applied; the change set was discarded\n');
        return 1;
      }
      return 0;
    } catch (error) {
      return this.interrupted(error);
    }
  }
}
