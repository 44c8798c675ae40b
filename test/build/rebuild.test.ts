import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildReport } from '../../manifest/types';
import { developmentPackages, publishedFiles } from '../../cli/inputs';
import { buildService, writeBuildReport } from '../../cli/package';
import { runCli } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/paths';
import { copyFixture, fixtureService, smallProject } from './fixture';

async function hashes(projectDir: string): Promise<Record<string, string>> {
  const outDir = path.join(projectDir, '.sparta');
  const artifacts = await buildService({ projectDir, tsconfigPath: path.join(projectDir, 'tsconfig.json'), service: fixtureService(), outDir });
  // Writing the outputs is what retires the previous build's archives.
  writeBuildReport(path.join(outDir, 'build-fixture'), artifacts);
  return Object.fromEntries(artifacts.map((a) => [a.functionId, a.sha256]));
}

function edit(projectDir: string, file: string, from: string, to: string): void {
  const full = path.join(projectDir, file);
  const text = fs.readFileSync(full, 'utf8');
  assert.ok(text.includes(from), `${file} should contain ${from}`);
  fs.writeFileSync(full, text.replace(from, to));
}

const changed = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((id) => a[id] !== b[id]).sort();

test("changing one module changes only the archives of the functions that include it", async () => {
  const projectDir = copyFixture();
  const first = await hashes(projectDir);

  edit(projectDir, 'src/greeting.ts', 'Hello, ', 'Hi, ');
  const second = await hashes(projectDir);
  assert.equal(changed(first, second), ['Greeter.fail', 'Greeter.hello', 'Greeter.later']);

  edit(projectDir, 'src/heavy.ts', "'heavy-module-marker-7f3a'", "'heavy-module-marker-8b4c'");
  const third = await hashes(projectDir);
  assert.equal(changed(second, third), ['Reporter.report']);

  // Only the current archives stay: one a function.
  const archives = fs.readdirSync(path.join(projectDir, '.sparta', 'build-fixture')).filter((name) => name.endsWith('.zip')).sort();
  assert.equal(archives, Object.entries(third).map(([id, sha]) => `${id}-${sha.slice(0, 16)}.zip`).sort());
});

// A build whose inputs hash as the last one's is skipped: nothing analysed,
// bundled or written. Each input below is changed on its own, on a
// one-function project, and must make the next build a real one.

const SKIPPED = /greeter: nothing changed since the last build \(.*build\.json\): not built again/;

const GREETER = `import { Service, Lambda } from 'sparta';
import { greeting } from './greeting';

@Service({ name: 'greeter' })
export class Greeter {
  @Lambda()
  hello(event: { name?: string }) {
    return greeting(event.name ?? 'world');
  }
}
`;

function greeterProject(): { dir: string; tsconfig: string } {
  const tsconfig = smallProject({
    'package.json': JSON.stringify({ name: 'greeter', version: '1.0.0', private: true }),
    'package-lock.json': JSON.stringify({ name: 'greeter', version: '1.0.0', lockfileVersion: 3, requires: true, packages: {} }),
    'src/greeter.ts': GREETER,
    'src/greeting.ts': "export const greeting = (name: string) => `Hello, ${name}`;\n",
  });
  return { dir: path.dirname(tsconfig), tsconfig };
}

const buildOnce = (tsconfig: string) => runCli(['build', '--project', tsconfig, '--external-aws-sdk']);

function report(dir: string): BuildReport {
  return JSON.parse(fs.readFileSync(path.join(dir, '.sparta', 'greeter', 'build.json'), 'utf8')) as BuildReport;
}

async function builtTwice(change: (dir: string, tsconfig: string) => void) {
  const { dir, tsconfig } = greeterProject();
  const first = await buildOnce(tsconfig);
  assert.is(first.code, 0, first.stderr);
  const before = report(dir);
  change(dir, tsconfig);
  const second = await buildOnce(tsconfig);
  assert.is(second.code, 0, second.stderr);
  return { dir, first, second, before, after: report(dir) };
}

test('a second build with nothing changed is skipped, says so, rewrites nothing and prints the same summary', async () => {
  const { dir, tsconfig } = greeterProject();
  const first = await buildOnce(tsconfig);
  assert.is(first.code, 0, first.stderr);
  assert.not.match(first.stderr, SKIPPED);
  const serviceDir = path.join(dir, '.sparta', 'greeter');
  const written = Object.fromEntries(fs.readdirSync(serviceDir).map((name) => [name, fs.statSync(path.join(serviceDir, name)).mtimeMs]));
  const second = await buildOnce(tsconfig);
  assert.is(second.code, 0, second.stderr);
  assert.match(second.stderr, SKIPPED);
  assert.not.match(second.stderr, /^built /m);
  assert.is(second.stdout, first.stdout);
  const after = Object.fromEntries(fs.readdirSync(serviceDir).map((name) => [name, fs.statSync(path.join(serviceDir, name)).mtimeMs]));
  assert.equal(after, written);
});

test('a changed source rebuilds, and the archive changes with its content', async () => {
  const { second, before, after } = await builtTwice((dir) => {
    const file = path.join(dir, 'src', 'greeting.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Hello, ', 'Hi, '));
  });
  assert.not.match(second.stderr, SKIPPED);
  assert.match(second.stderr, /^built Greeter\.hello /m);
  assert.is.not(after.functions[0].sha256, before.functions[0].sha256);
});

test('a changed lockfile rebuilds; the same code gives the same archive', async () => {
  const { second, before, after } = await builtTwice((dir) => {
    const lock = path.join(dir, 'package-lock.json');
    fs.writeFileSync(lock, JSON.stringify({ ...JSON.parse(fs.readFileSync(lock, 'utf8')), version: '1.0.1' }));
  });
  assert.not.match(second.stderr, SKIPPED);
  assert.match(second.stderr, /^built Greeter\.hello /m);
  assert.is(after.functions[0].sha256, before.functions[0].sha256);
  assert.is.not(after.inputs, before.inputs);
});

test('a changed tsconfig rebuilds', async () => {
  const { second, before, after } = await builtTwice((_dir, tsconfig) => {
    const config = JSON.parse(fs.readFileSync(tsconfig, 'utf8'));
    fs.writeFileSync(tsconfig, JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, target: 'ES2020' } }));
  });
  assert.not.match(second.stderr, SKIPPED);
  assert.match(second.stderr, /^built Greeter\.hello /m);
  assert.is.not(after.inputs, before.inputs);
});

test('other build flags rebuild: --minify is not the build recorded', async () => {
  const { dir, tsconfig } = greeterProject();
  assert.is((await buildOnce(tsconfig)).code, 0);
  const minified = await runCli(['build', '--project', tsconfig, '--external-aws-sdk', '--minify']);
  assert.is(minified.code, 0, minified.stderr);
  assert.not.match(minified.stderr, SKIPPED);
  assert.ok(report(dir).functions[0].zippedSize > 0);
});

test('a corrupt build.json is rebuilt, not trusted', async () => {
  const { second, after } = await builtTwice((dir) => fs.writeFileSync(path.join(dir, '.sparta', 'greeter', 'build.json'), '{"buildVersion": 2, "inpu'));
  assert.not.match(second.stderr, SKIPPED);
  assert.is(after.functions.length, 1);
});

test('a deleted archive is rebuilt', async () => {
  const { dir, second, before, after } = await builtTwice((dir) => fs.rmSync(path.join(dir, '.sparta', 'greeter', report(dir).functions[0].fileName)));
  assert.not.match(second.stderr, SKIPPED);
  assert.is(after.functions[0].sha256, before.functions[0].sha256);
  assert.ok(fs.existsSync(path.join(dir, '.sparta', 'greeter', after.functions[0].fileName)));
});

test('a corrupt analysis cache is analysed anew: the build still sees the changed source', async () => {
  const { dir, second, before, after } = await builtTwice((dir) => {
    fs.writeFileSync(path.join(dir, '.sparta', 'analysis.json'), '{"version": 1, "inputsKey": "x", "manifest": {');
    const file = path.join(dir, 'src', 'greeting.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('Hello, ', 'Hi, '));
  });
  assert.not.match(second.stderr, SKIPPED);
  assert.is.not(after.functions[0].sha256, before.functions[0].sha256);
  const cache = JSON.parse(fs.readFileSync(path.join(dir, '.sparta', 'analysis.json'), 'utf8'));
  assert.equal(cache.manifest.services.map((service: { name: string }) => service.name), ['greeter']);
});

// A linked package (npm link, `file:`, a workspace) keeps its version while its
// code changes: the files it would publish are inputs, the others are not.

/** A package folder outside the project, linked into its node_modules as `shout`; `files` as given (none: everything). */
function linkedShout(dir: string, files?: string[]): string {
  const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-linked-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(lib, file)), { recursive: true });
    fs.writeFileSync(path.join(lib, file), text);
  };
  write('package.json', JSON.stringify({ name: 'shout', version: '1.0.0', main: 'lib/index.js', types: 'lib/index.d.ts', ...(files && { files }) }));
  write('lib/index.js', "exports.shout = (text) => text.toUpperCase() + '!';\n");
  write('lib/index.d.ts', 'export declare function shout(text: string): string;\n');
  write('test/index.test.js', "require('../lib').shout('a');\n");
  write('node_modules/dep/index.js', 'module.exports = 1;\n');
  fs.symlinkSync(lib, path.join(dir, 'node_modules', 'shout'), 'dir');
  fs.writeFileSync(path.join(dir, 'src', 'greeting.ts'), "import { shout } from 'shout';\nexport const greeting = (name: string) => shout(`Hello, ${name}`);\n");
  return lib;
}

async function builtTwiceLinked(files: string[] | undefined, change: (lib: string) => void) {
  let lib = '';
  const result = await builtTwice((dir) => {
    lib = linkedShout(dir, files);
  });
  // The first build above is the one without the link: build again to record the linked one.
  const { dir } = result;
  const tsconfig = path.join(dir, 'tsconfig.json');
  const linked = await buildOnce(tsconfig);
  assert.is(linked.code, 0, linked.stderr);
  assert.match(linked.stderr, SKIPPED);
  const before = report(dir);
  change(lib);
  const second = await buildOnce(tsconfig);
  assert.is(second.code, 0, second.stderr);
  return { second, before, after: report(dir) };
}

const editFile = (file: string, from: string, to: string) => {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${file} should contain ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
};

test("a changed file among a linked package's published files rebuilds, and the archive changes", async () => {
  const { second, before, after } = await builtTwiceLinked(['lib'], (lib) => editFile(path.join(lib, 'lib', 'index.js'), "'!'", "'?'"));
  assert.not.match(second.stderr, SKIPPED);
  assert.match(second.stderr, /^built Greeter\.hello /m);
  assert.is.not(after.functions[0].sha256, before.functions[0].sha256);
});

test("a changed file a linked package does not publish (a test outside its `files`) is skipped", async () => {
  const { second, before, after } = await builtTwiceLinked(['lib'], (lib) => editFile(path.join(lib, 'test', 'index.test.js'), "'a'", "'b'"));
  assert.match(second.stderr, SKIPPED);
  assert.is(after.inputs, before.inputs);
});

test('a linked package without `files` publishes every file: a changed test rebuilds, its own node_modules do not', async () => {
  const { second } = await builtTwiceLinked(undefined, (lib) => editFile(path.join(lib, 'test', 'index.test.js'), "'a'", "'b'"));
  assert.not.match(second.stderr, SKIPPED);
  const { second: again } = await builtTwiceLinked(undefined, (lib) => fs.writeFileSync(path.join(lib, 'node_modules', 'dep', 'index.js'), 'module.exports = 2;\n'));
  assert.match(again.stderr, SKIPPED);
});

test('publishedFiles: folders named in `files` whole, globs, `!` leaves out, never node_modules', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-published-'));
  const files = ['package.json', 'dist/a.js', 'dist/sub/b.js', 'dist/test/a.test.js', 'types/a.d.ts', 'types/a.ts', 'src/a.ts', 'dist/node_modules/x/index.js'];
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), '');
  }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'p', files: ['dist', '!dist/test', 'types/*.d.ts'] }));
  assert.equal(publishedFiles(dir), ['dist/a.js', 'dist/sub/b.js', 'types/a.d.ts']);
});

test('developmentPackages: a link to a folder outside any node_modules is one, a link into a store (pnpm) and a copy are not', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-devcopies-'));
  const pkg = (folder: string) => {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'package.json'), '{}');
  };
  pkg(path.join(dir, 'packages', 'mine'));
  pkg(path.join(dir, 'node_modules', '.pnpm', 'stored@1.0.0', 'node_modules', 'stored'));
  pkg(path.join(dir, 'node_modules', 'copied'));
  fs.mkdirSync(path.join(dir, 'node_modules', '@scope'));
  fs.symlinkSync(path.join(dir, 'packages', 'mine'), path.join(dir, 'node_modules', '@scope', 'mine'), 'dir');
  fs.symlinkSync(path.join(dir, 'node_modules', '.pnpm', 'stored@1.0.0', 'node_modules', 'stored'), path.join(dir, 'node_modules', 'stored'), 'dir');
  const found = developmentPackages(dir).filter((folder) => folder.startsWith(fs.realpathSync(dir)));
  assert.equal(found, [path.join(fs.realpathSync(dir), 'packages', 'mine')]);
});

test('developmentPackages: the sparta that runs from a checkout (not from a node_modules) is one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-devcopies-'));
  assert.equal(developmentPackages(dir), [fs.realpathSync(REPO_ROOT)]);
});

test.run();
