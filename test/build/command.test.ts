import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildReport } from '../../manifest/types';
import { runCli } from '../helpers/cli';
import { copyFixture, fixtureManifest } from './fixture';
import { setup } from '../helpers/setup';

// `sparta build` end to end, in-process, on a copy of the fixture project.
// `--external-aws-sdk` keeps it quick: bundling the SDK is sdk.test.ts's job.

const Command = suite<{ projectDir: string; stdout: string; stderr: string; code: number }>('sparta build command');

setup(Command, async (context) => {
  context.projectDir = copyFixture();
  const run = await runCli(['build', '--project', path.join(context.projectDir, 'tsconfig.json'), '--external-aws-sdk']);
  Object.assign(context, run);
});

Command("exits 0 and writes the service's build.json, template.json and archives under .sparta/<service> beside the tsconfig", ({ projectDir, code, stderr }) => {
  assert.is(code, 0, stderr);
  const serviceDir = path.join(projectDir, '.sparta', 'build-fixture');
  const report = JSON.parse(fs.readFileSync(path.join(serviceDir, 'build.json'), 'utf8')) as BuildReport;
  assert.is(report.functions.length, fixtureManifest().functions.length);
  for (const a of report.functions) assert.ok(fs.existsSync(path.join(serviceDir, a.archive)), a.archive);
  assert.ok(fs.existsSync(path.join(serviceDir, 'template.json')));
});

Command('prints one plain progress line per function on stderr, with its size, when stderr is not a terminal', ({ stdout, stderr }) => {
  const lines = stderr.split('\n').filter((line) => line.startsWith('built '));
  assert.equal(lines.map((line) => line.split(' ')[1]), fixtureManifest().functions.map((f) => f.id));
  for (const line of lines) assert.match(line, /^built \S+ \(\d+(\.\d)? K?B zipped, \d+(\.\d)? K?B unzipped\)$/);
  assert.not.match(stderr, /\u001b\[/);
  assert.not.match(stdout, /^built /m);
});

Command('prints a summary table on stdout, its result: a row per function and a total', ({ stdout }) => {
  const table = stdout;
  assert.match(table, /^function\s+zipped\s+unzipped\s+archive$/m);
  for (const f of fixtureManifest().functions) assert.match(table, new RegExp(`^${f.id.replace('.', '\\.')}\\s+\\d`, 'm'));
  assert.match(table, new RegExp(`^${fixtureManifest().functions.length} functions\\s+\\d`, 'm'));
});

Command('an unknown --service fails with SPARTA102', async ({ projectDir }) => {
  const run = await runCli(['build', '--project', path.join(projectDir, 'tsconfig.json'), '--service', 'nope']);
  assert.is.not(run.code, 0);
  assert.match(run.stderr, 'SPARTA102');
  assert.is(run.stdout, '');
});

Command.run();
