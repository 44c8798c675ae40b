import { Command, Option, UsageError } from 'clipanion';
import { bootstrapBucket, defaultBucket, existingDefaultBucket } from '../converge/bootstrap';
import { checkBucketName } from '../converge/bucket-name';
import { converge, DEFAULT_POLL_INTERVAL_MS, type Approval } from '../converge/converge';
import { resolvedRegion } from '../converge/clients';
import { textIo } from '../converge/render';
import { prepareDeployment } from '../pipeline';
import { buildOptions, resolveStage, withBuildFlags } from './build-options';
import { hotswapProtectedStage } from '../errors';

/** Stages whose stack `--hotswap` leaves alone unless `--force`: a drifted production stack is a surprise at the worst time. */
const PROTECTED_STAGES: readonly string[] = ['prod'];
import { AwsCommand, confirmOnTerminal, parseTimeout, withInterrupt } from './aws';
import { isTerminal } from '../terminal';

export default class ProvisionCommand extends withBuildFlags(AwsCommand) {
  static paths = [['provision']];

  static usage = Command.Usage({
    description: 'Build the service and bring its CloudFormation stack in line',
    details: `
      Builds and packages every function (the same flags as \`sparta build\`), uploads the archives and the template to the bucket (\`--s3-bucket\`, else the one \`sparta bootstrap\` made; only keys not there yet:
      every key carries a content hash), and converges the stack through a change set, streaming its events.

      Nothing changed means nothing uploaded and no change set. \`--noop\` prints the change set without executing it.
      A change set that removes or replaces resources asks first on a terminal; anywhere else it is refused (and deleted)
      unless \`--yes\`.

      The stack is tagged with the project's identity (\`sparta:project\`, \`sparta:tsconfig\`); a same-named stack of
      another project, or one sparta did not create, is refused unless \`--force\`. The bucket must be in the stack's region.

      \`--hotswap\`: when the only difference from the deployed stack is functions' code and plain environment values, uploads the new archives and puts them into the functions with Lambda's UpdateFunctionCode and UpdateFunctionConfiguration, in seconds; the stack then drifts from its template until the next provision without it. Anything else falls back to a change set and says why. On a stage named \`prod\` it is refused unless \`--force\`.

      Ctrl-C stops watching; a stack operation already started keeps running in AWS.
    `,
    examples: [
      ['Provision the project in the current folder, to the bootstrapped bucket', '$0 provision'],
      ['To a bucket of your own', '$0 provision --s3-bucket my-artifacts'],
      ['Preview the changes only', '$0 provision --s3-bucket my-artifacts --noop'],
      ['Code changed only: swap it in without a change set', '$0 provision --hotswap'],
      ['Against a local moto server', '$0 provision --s3-bucket my-artifacts --endpoint-url http://127.0.0.1:5000 --region us-east-1'],
    ],
  });

  s3Bucket = Option.String('--s3-bucket', { description: 'Bucket for the archives and the template (default: the one sparta bootstrap creates)' });

  bootstrap = Option.Boolean('--bootstrap', false, { description: 'Without --s3-bucket: create the default bucket if it is missing, as sparta bootstrap does' });

  noop = Option.Boolean('--noop', false, { description: 'Print the change set, execute nothing' });

  hotswap = Option.Boolean('--hotswap', false, {
    description: 'When only code or plain environment values change, put them into the functions directly, without a change set (the stack drifts until the next full provision)',
  });

  yes = Option.Boolean('--yes,-y', false, { description: 'Apply a change set that removes or replaces resources without asking (required off a terminal)' });

  force = Option.Boolean('--force', false, { description: "Take over a same-named stack of another project, or one sparta did not create; with --hotswap, allow it on stage prod" });

  replaceFailed = Option.Boolean('--replace-failed', false, {
    description: 'Delete and recreate a stack whose first creation failed (ROLLBACK_COMPLETE)',
  });


  timeout = Option.String('--timeout', '60m', { description: 'Give up waiting after this long (90s, 20m, 1h; default 60m)' });

  async execute(): Promise<number> {
    if (this.s3Bucket !== undefined) checkBucketName(this.s3Bucket);
    if (this.s3Bucket !== undefined && this.bootstrap) throw new UsageError('--bootstrap creates the default bucket; with --s3-bucket there is nothing to create: drop one of them');
    const timeoutMs = parseTimeout(this.timeout);
    // Before any AWS call or build: drifting prod is refused outright.
    const stage = resolveStage(this.stage);
    if (this.hotswap && stage !== undefined && PROTECTED_STAGES.includes(stage) && !this.force) throw hotswapProtectedStage(stage);
    // Bad AWS settings fail before the (slow) build.
    const { sdk, apis } = await this.aws();
    const region = await resolvedRegion(sdk);
    const bucket = this.s3Bucket ?? (this.bootstrap ? (await bootstrapBucket(apis, region, await defaultBucket(apis, region))).bucket : await existingDefaultBucket(apis, region));
    if (this.s3Bucket === undefined) this.context.stderr.write(`using the default bucket ${bucket}\n`);
    const prepared = await prepareDeployment({ ...buildOptions(this, this.context), bucket });
    const plan = { ...prepared, noop: this.noop, hotswap: this.hotswap, replaceFailed: this.replaceFailed, force: this.force };
    const { stdin, stdout, stderr } = this.context;
    // The question goes to stderr with the rest of the progress: stdout may be a pipe while a person watches.
    const approval = (signal: AbortSignal): Approval =>
      this.yes
        ? { mode: 'apply' }
        : isTerminal(stdin) && isTerminal(stderr)
          ? { mode: 'ask', confirm: () => confirmOnTerminal(stdin, stderr, `apply the change set to ${plan.stackName}?`, signal) }
          : { mode: 'refuse' };
    try {
      const result = await withInterrupt(async (signal) =>
        converge(plan, {
          aws: apis,
          region,
          io: textIo(stderr, stdout),
          timeoutMs,
          pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
          signal,
          approval: approval(signal),
        }),
      );
      if (result.type === 'declined') {
        stderr.write('not applied; the change set was discarded\n');
        return 1;
      }
      return 0;
    } catch (error) {
      return this.interrupted(error);
    }
  }
}
