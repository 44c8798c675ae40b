import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packageOf } from '../../cli/bundle';
import { runCli } from '../helpers/cli';
import { smallProject } from './fixture';

// Rollup's warnings about third-party code are nothing a user can fix: one line a
// package says how many there were, and --verbose-warnings shows each.

/** A package whose two modules import each other and read a top-level `this`: one cycle, two rewrites. */
function circularPackage(name: string): Record<string, string> {
  const dir = `node_modules/${name}`;
  return {
    [`${dir}/package.json`]: JSON.stringify({ name, version: '1.0.0', main: 'a.js', module: 'a.js', types: 'index.d.ts' }),
    [`${dir}/index.d.ts`]: 'export declare function a(): string;\n',
    [`${dir}/a.js`]: "import { b } from './b.js';\nvar self = this;\nexport function a() { return b() + (self ? 1 : 0); }\nexport const A = 'a';\n",
    [`${dir}/b.js`]: "import { A } from './a.js';\nvar me = this;\nexport function b() { return A + (me ? 2 : 0); }\n",
  };
}

/** A service of one function that calls the package `name`. */
function serviceUsing(name: string): Record<string, string> {
  return {
    'src/svc.ts': `import { Service, Lambda } from 'sparta';\nimport { a } from '${name}';\n@Service({ name: 'warned' })\nexport class Warned {\n  @Lambda()\n  go() { return a(); }\n}\n`,
  };
}

async function build(tsconfig: string, ...flags: string[]) {
  const run = await runCli(['build', '--project', tsconfig, '--no-typecheck', ...flags]);
  assert.is(run.code, 0, run.stderr);
  return { ...run, warnings: run.stderr.split('\n').filter((line) => line.startsWith('warning: ')) };
}

test("a package's circular import and top-level this are one line naming the package, with the counts", async () => {
  const { warnings } = await build(smallProject({ ...circularPackage('circ'), ...serviceUsing('circ') }));
  assert.equal(warnings, ['warning: circ: 1 circular dependency, 2 this-rewrites (--verbose-warnings to see them)']);
});

test('a scoped package is named with its scope', async () => {
  const { warnings } = await build(smallProject({ ...circularPackage('@acme/circ'), ...serviceUsing('@acme/circ') }));
  assert.equal(warnings, ['warning: @acme/circ: 1 circular dependency, 2 this-rewrites (--verbose-warnings to see them)']);
});

test('--verbose-warnings shows each of them as rollup words it, and no summary', async () => {
  const tsconfig = smallProject({ ...circularPackage('circ'), ...serviceUsing('circ') });
  const { warnings } = await build(tsconfig, '--verbose-warnings');
  const dir = path.relative(process.cwd(), path.join(path.dirname(tsconfig), 'node_modules', 'circ'));
  assert.ok(warnings.includes(`warning: Circular dependency: ${dir}/a.js -> ${dir}/b.js -> ${dir}/a.js`), warnings.join('\n'));
  const rewrites = warnings.filter((line) => line.includes("The 'this' keyword is equivalent to 'undefined'") && line.includes(`${dir}/`));
  assert.equal(rewrites.map((line) => line.slice('warning: '.length).split(' ')[0]), [`${dir}/a.js`, `${dir}/b.js`]);
  assert.not.ok(warnings.some((line) => line.includes('--verbose-warnings to see them')));
});

test("the project's own circular import is not counted as a package's and stays quiet", async () => {
  const { warnings } = await build(
    smallProject({
      'src/svc.ts': "import { Service, Lambda } from 'sparta';\nimport { one } from './one';\n@Service({ name: 'own' })\nexport class Own {\n  @Lambda()\n  go() { return one(); }\n}\n",
      'src/one.ts': "import { two } from './two';\nexport function one(): number { return two() + 1; }\nexport const ONE = 1;\n",
      'src/two.ts': "import { ONE } from './one';\nexport function two(): number { return ONE; }\n",
    }),
  );
  assert.equal(warnings, []);
});

test('packageOf names the innermost package of a file, and none for the project\'s own', () => {
  assert.is(packageOf('/app/node_modules/zod/lib/index.js', '/app'), 'zod');
  assert.is(packageOf('/app/node_modules/@smithy/core/dist-es/index.js', '/app'), '@smithy/core');
  assert.is(packageOf('/app/node_modules/a/node_modules/b/index.js', '/app'), 'b');
  assert.is(packageOf('/app/src/service.ts', '/app'), undefined);
});

// A skipped build says the warnings of the build it stands for: recorded in
// <out>/<service>/warnings.json by the real one.

const SKIPPED = /: nothing changed since the last build \(.*build\.json\): not built again/;

test('a skipped build prints the warnings of the build it reuses, the same lines', async () => {
  const tsconfig = smallProject({ ...circularPackage('circ'), ...serviceUsing('circ') });
  const first = await build(tsconfig);
  assert.not.match(first.stderr, SKIPPED);
  const second = await build(tsconfig);
  assert.match(second.stderr, SKIPPED);
  assert.equal(second.warnings, ['warning: circ: 1 circular dependency, 2 this-rewrites (--verbose-warnings to see them)']);
  assert.equal(second.warnings, first.warnings);
  const recorded = JSON.parse(fs.readFileSync(path.join(path.dirname(tsconfig), '.sparta', 'warned', 'warnings.json'), 'utf8'));
  assert.equal(recorded, ['circ: 1 circular dependency, 2 this-rewrites (--verbose-warnings to see them)']);
});

test('a build without warnings prints none, and neither does its skipped repeat', async () => {
  const tsconfig = smallProject({
    'src/svc.ts': "import { Service, Lambda } from 'sparta';\n@Service({ name: 'quiet' })\nexport class Quiet {\n  @Lambda()\n  go() { return 1; }\n}\n",
  });
  const first = await build(tsconfig);
  const second = await build(tsconfig);
  assert.match(second.stderr, SKIPPED);
  assert.equal(first.warnings, []);
  assert.equal(second.warnings, []);
});

test('--verbose-warnings after a build without it builds again and prints each warning; repeated, it is skipped and prints them again', async () => {
  const tsconfig = smallProject({ ...circularPackage('circ'), ...serviceUsing('circ') });
  await build(tsconfig);
  const verbose = await build(tsconfig, '--verbose-warnings');
  assert.not.match(verbose.stderr, SKIPPED);
  assert.ok(verbose.warnings.some((line) => line.startsWith('warning: Circular dependency: ')), verbose.warnings.join('\n'));
  const again = await build(tsconfig, '--verbose-warnings');
  assert.match(again.stderr, SKIPPED);
  assert.equal(again.warnings, verbose.warnings);
});

test('a build whose warnings.json is gone is built again, not skipped without them', async () => {
  const tsconfig = smallProject({ ...circularPackage('circ'), ...serviceUsing('circ') });
  const first = await build(tsconfig);
  fs.rmSync(path.join(path.dirname(tsconfig), '.sparta', 'warned', 'warnings.json'));
  const second = await build(tsconfig);
  assert.not.match(second.stderr, SKIPPED);
  assert.equal(second.warnings, first.warnings);
});

test.run();
