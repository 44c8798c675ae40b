import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands } from '../cli/commands';
import { placeholderOf } from '../cli/commands/flags';
import { runCli } from './helpers/cli';

// Every option that takes a value shows a name for it in the help, never clipanion's `#0`.

const PATHS = commands.flatMap((command) => command.paths ?? []);

/** The option rows of a command's `--help`, keyed by the row's first column (`--out,-o DIR`). */
async function optionRows(path: string[]): Promise<string[]> {
  const { stdout } = await runCli([...path, '--help']);
  const options = stdout.split('\n\n').findIndex((block) => block === 'Options');
  return stdout.split('\n\n')[options + 1].split('\n').map((row) => row.trim().split(/\s{2,}/)[0]);
}

test('every command has a help', () => {
  assert.equal(PATHS.map((path) => path.join(' ')).sort(), ['bootstrap', 'build', 'delete', 'describe', 'diff', 'event', 'explain', 'invoke', 'logs', 'provision', 'serve']);
});

for (const path of PATHS) {
  test(`sparta ${path.join(' ')} --help shows no #N placeholder`, async () => {
    const { code, stdout } = await runCli([...path, '--help']);
    assert.is(code, 0);
    assert.match(stdout, 'Options');
    assert.not.match(stdout, /#\d/);
  });
}

test('sparta --help lists every command with named values', async () => {
  const { stdout } = await runCli(['--help']);
  assert.not.match(stdout, /#\d/);
  assert.match(stdout, 'sparta build [--project,-p PATH] [--service,-s NAME] [--out,-o DIR] [--minify]');
});

test('the usage inside an error names the values too', async () => {
  const { code, stdout, stderr } = await runCli(['delete', '--bogus']);
  assert.is(code, 1);
  assert.is(stdout, '');
  assert.match(stderr, 'Unsupported option name ("--bogus")');
  assert.match(stderr, '[--s3-bucket BUCKET] [--force] [--timeout DURATION]');
  assert.not.match(stderr, /#\d/);
});

test('provision --help names its values: PATH, NAME, REGION, URL, BUCKET, DIR, DURATION', async () => {
  const rows = await optionRows(['provision']);
  for (const row of ['--project,-p PATH', '--service,-s NAME', '--region REGION', '--profile NAME', '--endpoint-url URL', '--s3-bucket BUCKET', '--out,-o DIR', '--timeout DURATION']) {
    assert.ok(rows.includes(row), `${row} in ${JSON.stringify(rows)}`);
  }
});

test('a flag stays bare: --minify, --yes,-y', async () => {
  const rows = await optionRows(['provision']);
  assert.ok(rows.includes('--minify'));
  assert.ok(rows.includes('--yes,-y'));
});

test('invoke --help names the event file and the KEY=VALUE of --env', async () => {
  const rows = await optionRows(['invoke']);
  assert.ok(rows.includes('--event,-e FILE'), JSON.stringify(rows));
  assert.ok(rows.includes('--env KEY=VALUE'), JSON.stringify(rows));
});

test('explain and describe --help: --format FORMAT', async () => {
  assert.ok((await optionRows(['explain'])).includes('--format,-f FORMAT'));
  assert.ok((await optionRows(['describe'])).includes('--format FORMAT'));
});

test('event --help: the sns and schedule values are named', async () => {
  const rows = await optionRows(['event']);
  for (const row of ['--region REGION', '--topic ARN', '--subject TEXT', '--message TEXT', '--rule NAME']) {
    assert.ok(rows.includes(row), `${row} in ${JSON.stringify(rows)}`);
  }
});

test('an option not in the table shows its own name in capitals', () => {
  assert.is(placeholderOf(['--queue-url']), 'QUEUE_URL');
  assert.is(placeholderOf(['--bucket', '-b']), 'BUCKET');
});

test.run();
