// The real CLI in a child process, stopped with SIGTERM (as CI runners and
// `kill` stop it) while it waits for its change set: it must turn the signal
// into the same abort as Ctrl-C, remove what it created, and exit 143 with a
// message. A proxy in front of moto holds the DescribeChangeSet request, so the
// signal lands at a known point between creating and executing.
import { ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '../../cli/errors';
import { writeServiceProject } from '../helpers/handmade';
import { MOTO_CREDENTIALS, MOTO_REGION, motoAws, withMoto, type MotoContext } from '../helpers/moto';
import { CLI_BIN } from '../helpers/paths';
import { startActionProxy } from './proxy';

const test = suite<MotoContext>('SIGTERM to sparta provision');
withMoto(test);

const BUCKET = 'sigterm-artifacts';

test('SIGTERM between creating and executing the change set removes it and its holder stack, and exits 143', async (context) => {
  const aws = motoAws(context.moto);
  await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const proxy = await startActionProxy(context.moto.port);
  const tsconfig = writeServiceProject({ name: 'terminated', functions: [{ id: 'Api.get', body: 'get' }] });
  const child = spawn(process.execPath, [CLI_BIN, 'provision', '--s3-bucket', BUCKET, '--project', tsconfig, '--endpoint-url', proxy.endpoint], {
    env: {
      PATH: process.env.PATH,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: MOTO_REGION,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let held = false;
  proxy.decide = (action) => {
    if (action !== 'DescribeChangeSet' || held) return 'pass';
    held = true;
    child.kill('SIGTERM');
    // Let the signal handler run in the child before its answer arrives.
    setTimeout(() => proxy.release(), 500);
    return 'hold';
  };
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  try {
    const code = await exited;
    assert.ok(held, `the CLI never asked for its change set:\n${output}`);
    assert.is(code, 143, output);
    assert.match(output, `${ErrorCode.INTERRUPTED}: interrupted while about to execute the change set`);
    assert.match(output, 'nothing was deployed');
    assert.is(output.match(/hint:/g)?.length, 1, output);
  } finally {
    clearTimeout(killer);
    await proxy.close();
  }
  const stacks = await aws.sdk.cloudFormation.send(new ListStacksCommand({}));
  assert.equal((stacks.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => `${s.StackName} ${s.StackStatus}`), []);
});

test.run();
