// `npm run demo`: the whole lifecycle of examples/hello against a local
// moto_server, in one command. Starts moto on a free loopback port, creates a
// bucket, provisions, describes, provisions again (no changes, zero uploads),
// diffs (nothing differs), deletes the stack, and stops the server it started (by PID), also on error
// or Ctrl-C.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import * as path from 'node:path';
import { createCli } from '../cli/index';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, startMoto, type MotoServer } from '../test/helpers/moto';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const HELLO = path.join(REPO_ROOT, 'examples', 'hello', 'tsconfig.json');
const BUCKET = 'sparta-demo-artifacts';

function banner(text: string): void {
  process.stdout.write(`\n=== ${text}\n`);
}

async function sparta(...args: string[]): Promise<void> {
  process.stdout.write(`$ sparta ${args.join(' ')}\n`);
  const code = await createCli().run(args, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  if (code !== 0) throw new Error(`sparta ${args[0]} exited with ${code}`);
}

export async function demo(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // moto accepts any credentials; never send the user's real ones to it.
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;

  banner('starting moto_server on a free loopback port');
  let moto: MotoServer | undefined;
  const stop = async () => {
    const server = moto;
    moto = undefined;
    if (server) {
      await server.stop();
      process.stdout.write(`stopped moto_server (pid ${server.pid})\n`);
    }
  };
  const onSigint = () => {
    process.stdout.write('\ninterrupted: stopping moto_server\n');
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  try {
    moto = await startMoto();
    process.stdout.write(`moto_server ${moto.endpoint} (pid ${moto.pid})\n`);
    await motoAws(moto).sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    process.stdout.write(`created bucket s3://${BUCKET}\n`);
    const common = ['--project', HELLO, '--endpoint-url', moto.endpoint, '--region', MOTO_REGION];

    banner('1. provision: upload the archives, create the stack through a change set');
    await sparta('provision', '--s3-bucket', BUCKET, ...common);
    banner('2. describe the deployed service');
    await sparta('describe', ...common);
    banner('3. provision again: nothing changed, so nothing is uploaded and no change set is made');
    await sparta('provision', '--s3-bucket', BUCKET, ...common);
    banner('4. diff: the code and the deployed stack agree (exit code 0)');
    await sparta('diff', ...common);
    banner('5. delete the stack (the bucket and its archives stay)');
    await sparta('delete', '--yes', ...common);
  } finally {
    process.off('SIGINT', onSigint);
    await stop();
  }
}

if (require.main === module) {
  demo().catch((error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
