import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MANIFEST_VERSION, type BuildReport } from '../../manifest/types';
import { runCli } from '../helpers/cli';
import { copyFixture, fixtureService } from './fixture';

// `sparta build` end to end, in-process. The manifest is written beside the
// tsconfig, where the temporary cli/project.ts reads it.

const Command = suite<{ projectDir: string; stdout: string; stderr: string; code: number }>('sparta build command');

Command.before(async (context) => {
  context.projectDir = copyFixture();
  const manifest = { manifestVersion: MANIFEST_VERSION, services: [fixtureService()] };
  fs.writeFileSync(path.join(context.projectDir, 'sparta.manifest.json'), JSON.stringify(manifest));
  const run = await runCli(['build', '--project', path.join(context.projectDir, 'tsconfig.json')]);
  Object.assign(context, run);
});

Command('exits 0 and writes build.json and the archives under .sparta beside the tsconfig', ({ projectDir, code, stderr }) => {
  assert.is(code, 0, stderr);
  const report = JSON.parse(fs.readFileSync(path.join(projectDir, '.sparta', 'build.json'), 'utf8')) as BuildReport;
  assert.is(report.functions.length, fixtureService().functions.length);
  for (const a of report.functions) assert.ok(fs.existsSync(path.join(projectDir, '.sparta', a.archive)), a.archive);
});

Command('prints one plain line per function, with its size, when stdout is not a terminal', ({ stdout }) => {
  const lines = stdout.split('\n').filter((line) => line.startsWith('built '));
  assert.equal(lines.map((line) => line.split(' ')[1]), fixtureService().functions.map((f) => f.id));
  for (const line of lines) assert.match(line, /^built \S+ \(\d+(\.\d)? K?B zipped, \d+(\.\d)? K?B unzipped\)$/);
  assert.not.match(stdout, /\u001b\[/);
});

Command('ends with a summary table: a row per function and a total', ({ stdout }) => {
  const table = stdout.slice(stdout.indexOf('\nfunction'));
  assert.match(table, /^\nfunction\s+zipped\s+unzipped\s+archive$/m);
  for (const f of fixtureService().functions) assert.match(table, new RegExp(`^${f.id.replace('.', '\\.')}\\s+\\d`, 'm'));
  assert.match(table, new RegExp(`^${fixtureService().functions.length} functions\\s+\\d`, 'm'));
});

Command('an unknown --service fails with SPARTA102', async ({ projectDir }) => {
  const run = await runCli(['build', '--project', path.join(projectDir, 'tsconfig.json'), '--service', 'nope']);
  assert.is.not(run.code, 0);
  assert.match(run.stdout + run.stderr, 'SPARTA102');
});

Command.run();
