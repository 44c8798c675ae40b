// A build that fails late must not leave a mix of two builds under `<out>`:
// build.json, template.json and the archives build.json names are all the
// previous build's. The failure is a real input: a @Resource named like the
// log group sparta generates for a function passes the analysis (generated IDs
// are content hashes the template stage computes) and fails only when the
// template is marshalled (SPARTA306), after every archive is built.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildReport } from '../../manifest/types';
import { ErrorCode } from '../../cli/errors';
import { functionIds } from '../../cli/template/ids';
import { runCli } from '../helpers/cli';
import { copyFixture } from './fixture';

const test = suite('a failed build keeps the previous outputs');

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, '.sparta', 'build-fixture', file), 'utf8');

function outputs(projectDir: string) {
  return { report: read(projectDir, 'build.json'), template: read(projectDir, 'template.json') };
}

const build = (projectDir: string) => runCli(['build', '--project', path.join(projectDir, 'tsconfig.json'), '--external-aws-sdk']);

test('a template error after new archives were built leaves build.json, template.json and their archives as the last good build', async () => {
  const projectDir = copyFixture();
  const first = await build(projectDir);
  assert.is(first.code, 0, first.stdout + first.stderr);
  const before = outputs(projectDir);

  // New code (so new archives) and a template the marshaller rejects.
  const { logGroup } = functionIds({ service: 'build-fixture', className: 'Lean', methodName: 'ping' });
  const lean = path.join(projectDir, 'src', 'lean.ts');
  const source = fs.readFileSync(lean, 'utf8');
  assert.ok(source.includes('(event.n ?? 0) + 1'));
  fs.writeFileSync(
    lean,
    source
      .replace('(event.n ?? 0) + 1', '(event.n ?? 0) + 2')
      .replace("import { Lambda, Service } from 'sparta';", "import { Lambda, Resource, Service } from 'sparta';")
      .replace("@Service({ name: 'build-fixture' })", `@Service({ name: 'build-fixture' })\n@Resource('${logGroup}', { Type: 'AWS::Logs::LogGroup' })`),
  );
  const failed = await build(projectDir);
  assert.is.not(failed.code, 0);
  assert.match(failed.stdout + failed.stderr, ErrorCode.LOGICAL_ID_COLLISION, failed.stdout + failed.stderr);
  assert.match(failed.stderr, logGroup);

  assert.equal(outputs(projectDir), before);
  const report = JSON.parse(before.report) as BuildReport;
  const serviceDir = path.join(projectDir, '.sparta', 'build-fixture');
  for (const a of report.functions) assert.ok(fs.existsSync(path.join(serviceDir, a.archive)), `${a.archive} of the kept build is still there`);
  assert.equal(fs.readdirSync(serviceDir).filter((name) => name.endsWith('.tmp')), []);
});

test.run();
