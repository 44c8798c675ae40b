import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './helpers/cli';
import { writeServiceProject } from './helpers/handmade';
import { CLI_BIN } from './helpers/paths';

// How the command line finds the project and how its help reads.

const run = promisify(execFile);

/** A temporary project (service `texts`) with its sources in `src/`; returns its folder. */
function project(): string {
  const tsconfig = writeServiceProject({ name: 'texts', functions: [{ id: 'Texts.hello', body: 'hi' }] });
  return path.dirname(tsconfig);
}

/** The real CLI run from `cwd`, as a user in a terminal runs it. */
async function sparta(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.SPARTA_PROJECT;
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI_BIN, ...args], { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('without --project, sparta in a subfolder uses the tsconfig.json above it, as tsc does', async () => {
  const root = project();
  const result = await sparta(['explain', '--format', 'json'], path.join(root, 'src'));
  assert.is(result.stderr, '');
  assert.is(result.code, 0);
  assert.equal(JSON.parse(result.stdout).services.map((service: { name: string }) => service.name), ['texts']);
});

test('without --project and no tsconfig.json here or above, SPARTA101 names the folder searched', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-empty-'));
  const result = await sparta(['explain'], empty);
  assert.is(result.code, 1);
  assert.match(result.stderr, 'SPARTA101');
  assert.match(result.stderr, `no tsconfig.json in ${fs.realpathSync(empty)} or any folder above it`);
});

test('--project FOLDER uses the tsconfig.json in that folder', async () => {
  const root = project();
  const result = await runCli(['explain', '--format', 'json', '--project', root]);
  assert.is(result.stderr, '');
  assert.is(result.code, 0);
  assert.equal(JSON.parse(result.stdout).services.map((service: { name: string }) => service.name), ['texts']);
});

test('--project FILE that does not exist stays SPARTA101 naming that path', async () => {
  const missing = path.join(project(), 'other', 'tsconfig.json');
  const result = await runCli(['explain', '--project', missing]);
  assert.is(result.code, 1);
  assert.match(result.stderr, 'SPARTA101');
  assert.match(result.stderr, `no tsconfig at ${missing}`);
});

const PROJECT_COMMANDS = ['build', 'delete', 'describe', 'explain', 'invoke', 'provision'];

test('help addresses the reader as "you", never as "the user"', async () => {
  for (const command of PROJECT_COMMANDS) {
    const help = await runCli([command, '--help']);
    assert.is(help.code, 0, command);
    assert.match(help.stdout, /--project,-p \S+ +Your tsconfig\.json/, command);
    assert.not.match(help.stdout, /\buser's\b|\bthe user\b/i, command);
  }
});

/** The lines of one section (`Details`, `Examples`, ...) of a command's --help. */
function helpSection(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(title) + 1;
  const end = lines.findIndex((line, index) => index > start && /^[A-Z][a-z]+$/.test(line));
  return lines.slice(start, end === -1 ? undefined : end).filter((line) => line.trim() !== '');
}

test('sparta event --help prints its details aligned, the list of event types included', async () => {
  const help = await runCli(['event', '--help']);
  assert.is(help.code, 0);
  const details = helpSection(help.stdout, 'Details');
  for (const line of ['- `schedule`: ScheduledEvent, from @CloudWatchEvent({ schedule })', '- `sns`: SNSEvent, from @SNS({ topic })', '- `sqs`: SQSEvent, from @SQS({ queue })', '- `ses`: SESEvent, from @SES({ ruleSet, recipients })']) {
    assert.ok(details.includes(line), `${line} in ${JSON.stringify(details)}`);
  }
  assert.equal(details.filter((line) => /^\s/.test(line)), []);
});

test.run();
