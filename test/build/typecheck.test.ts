import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { smallProject } from './fixture';

// build and provision type-check the program as `tsc --noEmit` would, beside
// the bundle and before anything is written, on a one-function project.

function source(body: string): string {
  return `import { Service, Lambda } from 'sparta';

@Service({ name: 'typed' })
export class Typed {
  @Lambda()
  hello(event: unknown) {
${body}
  }
}
`;
}

const CLEAN = "    const count: number = 1;\n    return { count };";
/** Line 7, column 11: `count`. */
const TS2322 = "    const count: number = 'one';\n    return { count };";

function project(body: string): { dir: string; tsconfig: string; file: string } {
  const tsconfig = smallProject({ 'src/typed.ts': source(body) });
  const dir = path.dirname(tsconfig);
  return { dir, tsconfig, file: path.join(dir, 'src', 'typed.ts') };
}

test('a TS2322 error stops the build before anything is written, printed as tsc prints it on stderr', async () => {
  const { dir, tsconfig } = project(TS2322);
  const run = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, 'SPARTA206: the program has 1 type error in 1 file');
  assert.match(run.stderr, /src\/typed\.ts\(7,11\): error TS2322: Type 'string' is not assignable to type 'number'\./);
  assert.not.ok(fs.existsSync(path.join(dir, '.sparta', 'typed', 'build.json')), 'no build report');
  assert.not.ok(fs.existsSync(path.join(dir, '.sparta', 'typed')), 'no archive folder');
});

test('--no-typecheck builds the same program anyway', async () => {
  const { dir, tsconfig } = project(TS2322);
  const run = await runCli(['build', '--project', tsconfig, '--external-aws-sdk', '--no-typecheck']);
  assert.is(run.code, 0, run.stderr);
  assert.ok(fs.existsSync(path.join(dir, '.sparta', 'typed', 'build.json')));
});

test('provision with a type error fails with SPARTA206 before any AWS call', async () => {
  const { tsconfig } = project(TS2322);
  // Nothing listens on port 9: any AWS call would fail as an unreachable endpoint instead.
  const run = await runCli(['provision', '--project', tsconfig, '--s3-bucket', 'artifacts', '--endpoint-url', 'http://127.0.0.1:9', '--region', 'us-east-1', '--external-aws-sdk'], {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  assert.is(run.code, 1, run.stderr);
  assert.match(run.stderr, 'SPARTA206');
  assert.match(run.stderr, 'error TS2322');
});

test('the incremental information lives under the output folder, and an edit after a clean build is still checked', async () => {
  const { dir, tsconfig, file } = project(CLEAN);
  const first = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(first.code, 0, first.stderr);
  assert.ok(fs.existsSync(path.join(dir, '.sparta', '.tsbuildinfo')), '.tsbuildinfo under the output folder');
  fs.writeFileSync(file, source(TS2322));
  const second = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(second.code, 1, second.stderr);
  assert.match(second.stderr, 'error TS2322');
});

test('a new source file after a clean build is checked too', async () => {
  const { dir, tsconfig } = project(CLEAN);
  const first = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(first.code, 0, first.stderr);
  fs.writeFileSync(path.join(dir, 'src', 'extra.ts'), "export const extra: string = 42;\n");
  const second = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(second.code, 1, second.stderr);
  assert.match(second.stderr, /src\/extra\.ts\(1,14\): error TS2322/);
});

test('once the error is fixed, the build passes: a failed check leaves nothing that hides the fix', async () => {
  const { tsconfig, file } = project(TS2322);
  const first = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(first.code, 1, first.stderr);
  fs.writeFileSync(file, source(CLEAN));
  const second = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(second.code, 0, second.stdout + second.stderr);
});

// A dependency's package.json decides how its files load: with `"type": "module"` its index.js
// is an ES module, which a CommonJS file (this project has no `"type"`) cannot require().
const DEPENDENCY = 'node_modules/answer/package.json';
const COMMONJS_PACKAGE = JSON.stringify({ name: 'answer', version: '1.0.0', main: 'index.js', types: 'index.d.ts' });
const ESM_PACKAGE = JSON.stringify({ name: 'answer', version: '1.0.0', type: 'module', main: 'index.js', types: 'index.d.ts' });
const USES_ANSWER = "    return { answer: answer * 2 };";

function projectWithDependency(packageJson: string): { tsconfig: string; dependency: string } {
  const tsconfig = smallProject({
    'package.json': JSON.stringify({ name: 'typed', version: '1.0.0', private: true }),
    'src/typed.ts': `import { answer } from 'answer';\n${source(USES_ANSWER)}`,
    [DEPENDENCY]: packageJson,
    'node_modules/answer/index.js': 'export const answer = 21;\n',
    'node_modules/answer/index.d.ts': 'export declare const answer: number;\n',
  });
  return { tsconfig, dependency: path.join(path.dirname(tsconfig), DEPENDENCY) };
}

/** Line 1, column 24: the module specifier 'answer'. */
const TS1479 = /src\/typed\.ts\(1,24\): error TS1479: The current file is a CommonJS module whose imports will produce 'require' calls; however, the referenced file is an ECMAScript module/;

test('a dependency that becomes an ES module after a clean build fails the next build with TS1479', async () => {
  const { tsconfig, dependency } = projectWithDependency(COMMONJS_PACKAGE);
  const first = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(first.code, 0, first.stderr);
  fs.writeFileSync(dependency, ESM_PACKAGE);
  const second = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(second.code, 1, second.stderr);
  assert.match(second.stderr, TS1479);
});

test('a dependency that stops being an ES module after a TS1479 lets the next build pass', async () => {
  const { tsconfig, dependency } = projectWithDependency(ESM_PACKAGE);
  const first = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(first.code, 1, first.stderr);
  assert.match(first.stderr, TS1479);
  fs.writeFileSync(dependency, COMMONJS_PACKAGE);
  const second = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(second.code, 0, second.stdout + second.stderr);
});

test('a package.json removed from a source folder after a clean build makes its files CommonJS again: TS1470', async () => {
  const tsconfig = smallProject({
    'package.json': JSON.stringify({ name: 'typed', version: '1.0.0', private: true }),
    'src/typed.ts': source(CLEAN),
    'src/esm/package.json': JSON.stringify({ type: 'module' }),
    'src/esm/meta.ts': 'export const meta: object = import.meta;\n',
  });
  const first = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(first.code, 0, first.stderr);
  fs.rmSync(path.join(path.dirname(tsconfig), 'src', 'esm', 'package.json'));
  const second = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(second.code, 1, second.stderr);
  assert.match(second.stderr, /src\/esm\/meta\.ts\(1,29\): error TS1470: The 'import\.meta' meta-property is not allowed in files which will build into CommonJS output/);
});

test('a second build with no change to a source or a package.json does not run the compiler again', async () => {
  const { tsconfig } = projectWithDependency(COMMONJS_PACKAGE);
  const first = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(first.code, 0, first.stderr);
  const info = path.join(path.dirname(tsconfig), '.sparta', '.tsbuildinfo');
  // Emptied: a compiler run would write it again.
  fs.writeFileSync(info, '');
  const second = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(second.code, 0, second.stderr);
  assert.is(fs.readFileSync(info, 'utf8'), '', '.tsbuildinfo untouched');
});

test.run();
