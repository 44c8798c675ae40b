import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/paths';
import { setup } from '../helpers/setup';

// A function invoked without --event that fails was most likely waiting for
// its source's event: SPARTA501's hint names the sample that source delivers
// (`sparta event` types, not manifest kinds) for that very function.

const test = suite('invoke: the hint after a failure without an event');

const SOURCE = `import { CloudWatchEvent, Lambda, Ref, Resource, Service, SQS } from 'sparta';
import type { EventBridgeEvent, SQSEvent } from 'aws-lambda';

@Service({ name: 'hints' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue' })
export class Worker {
  @Lambda()
  @CloudWatchEvent({ pattern: { source: ['aws.s3'], 'detail-type': ['Object Created'] } })
  async onUpload(event: EventBridgeEvent<'Object Created', unknown>) {
    if (event.source === undefined) throw new Error('no event');
    return { source: event.source, detailType: event['detail-type'] };
  }

  @Lambda()
  @SQS({ queue: Ref('Jobs') })
  async run(event: SQSEvent) {
    return { received: event.Records.length };
  }

  @Lambda()
  async plain() {
    throw new Error('always');
  }
}
`;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-invoke-hint-'));
const out = path.join(root, '.sparta');
const project = path.join(root, 'tsconfig.json');
const args = ['--project', project, '--out', out];

setup(test, async () => {
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'worker.ts'), SOURCE);
  const compilerOptions = { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: true, experimentalDecorators: true, rootDir: 'src', types: ['node'] };
  fs.writeFileSync(project, JSON.stringify({ compilerOptions, include: ['src'] }));
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(root, 'node_modules', 'sparta'), 'dir');
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@types'), path.join(root, 'node_modules', '@types'), 'dir');
  const run = await runCli(['build', ...args]);
  if (run.code !== 0) throw new Error(`sparta build failed:\n${run.stdout}${run.stderr}`);
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

/** stdin holding `text`. */
function input(text: string): NodeJS.ReadableStream {
  const stdin = new PassThrough();
  stdin.end(text);
  return stdin;
}

/** The two commands of the hint's `sparta event ... | sparta invoke ...`, as argument lists. */
function suggestion(stderr: string): { event: string[]; invoke: string[] } {
  const found = /try `sparta (event [^|`]*) \| sparta (invoke [^`]*)`/.exec(stderr);
  if (!found) throw new Error(`no suggested command in:\n${stderr}`);
  return { event: found[1].trim().split(' '), invoke: found[2].trim().split(' ') };
}

test("a pattern rule's function is pointed to the eventbridge sample, for itself, in the same project", async () => {
  const run = await runCli(['invoke', 'onUpload', '--no-build', ...args]);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, 'SPARTA501');
  assert.match(run.stderr, `\`sparta event eventbridge --function Worker.onUpload --project ${project} | sparta invoke Worker.onUpload --project ${project} --event -\``);
});

test('the commands the hint suggests run the function with the event its rule matches', async () => {
  const failed = await runCli(['invoke', 'onUpload', '--no-build', ...args]);
  const { event, invoke } = suggestion(failed.stderr);
  const sample = await runCli(event);
  assert.is(sample.code, 0, sample.stderr);
  const run = await runCli([...invoke, '--no-build', '--out', out], {}, input(sample.stdout));
  assert.is(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), { source: 'aws.s3', detailType: 'Object Created' });
});

test("an @SQS function is pointed to the sqs sample, for itself", async () => {
  const run = await runCli(['invoke', 'run', '--no-build', ...args]);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, `\`sparta event sqs --function Worker.run --project ${project} | sparta invoke Worker.run --project ${project} --event -\``);
});

test('--service carries over to the suggested commands too', async () => {
  const run = await runCli(['invoke', 'run', '--no-build', ...args, '--service', 'hints']);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, `\`sparta event sqs --function Worker.run --project ${project} --service hints | sparta invoke Worker.run --project ${project} --service hints --event -\``);
});

test('a function without an event source gets no sample, only the pointer to its logs', async () => {
  const run = await runCli(['invoke', 'plain', '--no-build', ...args]);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, 'its logs above (on stderr) show where it failed');
  assert.not.match(run.stderr, 'sparta event');
});

test('a function that failed on an event given with --event gets no sample either', async () => {
  const run = await runCli(['invoke', 'run', '--no-build', ...args, '--event', '-'], {}, input('{"Records": null}'));
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, 'its logs above (on stderr) show where it failed');
  assert.not.match(run.stderr, 'sparta event');
});

test.run();
