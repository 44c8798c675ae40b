import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildReport, FunctionArtifact } from '../../manifest/types';
import { readArchive, smallProject, SMALL_TSCONFIG } from '../build/fixture';
import { runCli } from '../helpers/cli';

// `format: 'esm'` bundles a function as ES modules (index.mjs, chunks/*.mjs),
// where a module may await at its top level; `cjs`, the default, bundles
// index.js as before. Each project here is built and run by the CLI itself.

/** TypeScript itself allows top-level await in any module under ESNext and bundler resolution. */
const BUNDLER_TSCONFIG = { ...SMALL_TSCONFIG, compilerOptions: { ...SMALL_TSCONFIG.compilerOptions, module: 'ESNext', moduleResolution: 'Bundler' } };

/** The module both formats import: its second line awaits, at column 24. */
const CONFIG = `// Read once, when the module is first imported.
export const joined = (await Promise.all([Promise.resolve('a'), Promise.resolve('b')])).join('+');
`;

function service(className: string, lambdaOptions: string, body: string, imports = "import { joined } from './config';\n"): string {
  return `import { Lambda, Service } from 'sparta';
${imports}
@Service({ name: 'formats' })
export class ${className} {
  @Lambda(${lambdaOptions})
  async run() {
    return ${body};
  }
}
`;
}

const dirs: string[] = [];
test.after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A project of `files` whose tsconfig is `tsconfig` (SMALL_TSCONFIG unless given): its tsconfig path. */
function project(files: Record<string, string>, tsconfig: object = SMALL_TSCONFIG): string {
  const tsconfigPath = smallProject(files);
  fs.writeFileSync(tsconfigPath, JSON.stringify(tsconfig));
  dirs.push(path.dirname(tsconfigPath));
  return tsconfigPath;
}

async function build(tsconfigPath: string): Promise<FunctionArtifact[]> {
  const out = path.join(path.dirname(tsconfigPath), 'out');
  const run = await runCli(['build', '--project', tsconfigPath, '--out', out]);
  assert.is(run.code, 0, run.stderr);
  return (JSON.parse(fs.readFileSync(path.join(out, 'formats', 'build.json'), 'utf8')) as BuildReport).functions;
}

function archiveNames(tsconfigPath: string, artifact: FunctionArtifact): string[] {
  return [...readArchive(path.join(path.dirname(tsconfigPath), 'out', 'formats', artifact.fileName)).keys()].sort();
}

async function invoke(tsconfigPath: string, functionId: string): Promise<unknown> {
  const run = await runCli(['invoke', functionId, '--project', tsconfigPath, '--out', path.join(path.dirname(tsconfigPath), 'out')]);
  assert.is(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

test('an ES module function whose module awaits at its top level builds to index.mjs, no index.js, handler index.handler', async () => {
  const tsconfigPath = project({ 'src/config.ts': CONFIG, 'src/esm.ts': service('Esm', "{ format: 'esm' }", 'joined') }, BUNDLER_TSCONFIG);
  const [artifact] = await build(tsconfigPath);
  assert.equal(archiveNames(tsconfigPath, artifact!), ['index.mjs']);
  assert.is(artifact!.handler, 'index.handler');
});

test('invoke runs the ES module function and answers with the awaited value', async () => {
  const tsconfigPath = project({ 'src/config.ts': CONFIG, 'src/esm.ts': service('Esm', "{ format: 'esm' }", 'joined') }, BUNDLER_TSCONFIG);
  assert.is(await invoke(tsconfigPath, 'Esm.run'), 'a+b');
});

test("@Service({ format: 'esm' }) holds for its functions: the archive holds index.mjs", async () => {
  const tsconfigPath = project({
    'src/config.ts': CONFIG,
    'src/esm.ts': service('Esm', '', 'joined').replace("@Service({ name: 'formats' })", "@Service({ name: 'formats', format: 'esm' })"),
  }, BUNDLER_TSCONFIG);
  const [artifact] = await build(tsconfigPath);
  assert.equal(archiveNames(tsconfigPath, artifact!), ['index.mjs']);
});

test("@Lambda({ format: 'cjs' }) overrides @Service({ format: 'esm' }): the archive holds index.js", async () => {
  const tsconfigPath = project({
    'src/plain.ts': service('Plain', "{ format: 'cjs' }", "'plain'", '').replace("@Service({ name: 'formats' })", "@Service({ name: 'formats', format: 'esm' })"),
  });
  const [artifact] = await build(tsconfigPath);
  assert.equal(archiveNames(tsconfigPath, artifact!), ['index.js']);
});

test('the same module imported by a CommonJS function is SPARTA207, naming the file and line of the await and the function', async () => {
  const tsconfigPath = project({ 'src/config.ts': CONFIG, 'src/cjs.ts': service('Cjs', '', 'joined') }, BUNDLER_TSCONFIG);
  const run = await runCli(['build', '--project', tsconfigPath, '--out', path.join(path.dirname(tsconfigPath), 'out')]);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, 'SPARTA207: src/config.ts:2:24: top-level await in a module that Cjs.run imports');
  assert.match(run.stderr, "hint: set format: 'esm' on @Lambda or @Service");
});

test('a service of both formats builds when only its ES module function imports the module that awaits', async () => {
  const tsconfigPath = project({
    'src/config.ts': CONFIG,
    'src/esm.ts': service('Esm', "{ format: 'esm' }", 'joined'),
    'src/plain.ts': service('Plain', '', "'plain'", ''),
  }, BUNDLER_TSCONFIG);
  const artifacts = await build(tsconfigPath);
  assert.equal(artifacts.map((a) => [a.functionId, archiveNames(tsconfigPath, a)]), [['Esm.run', ['index.mjs']], ['Plain.run', ['index.js']]]);
});

/** A CommonJS package that asks for a builtin with a computed name and reads its own file names. */
const CJS_PACKAGE = {
  'node_modules/cjs-dep/package.json': JSON.stringify({ name: 'cjs-dep', version: '1.0.0', main: 'index.js' }),
  'node_modules/cjs-dep/index.js': "const path = require('node:path');\nexports.where = function () { return [path.basename(__filename), path.basename(__dirname) === path.basename(process.env.LAMBDA_TASK_ROOT), typeof require('node:' + 'os').platform]; };\n",
  'node_modules/cjs-dep/index.d.ts': 'export declare function where(): [string, boolean, string];\n',
};

test('an ES module function runs a bundled CommonJS package that uses require and __filename/__dirname', async () => {
  const tsconfigPath = project({ ...CJS_PACKAGE, 'src/esm.ts': service('Esm', "{ format: 'esm' }", 'where()', "import { where } from 'cjs-dep';\n") });
  // The package is bundled into index.mjs at the task root: its names are that file's.
  assert.equal(await invoke(tsconfigPath, 'Esm.run'), ['index.mjs', true, 'function']);
});

/** An ES module package that derives its own `__dirname`, as ES modules written for Node do. */
const ESM_PACKAGE = {
  'node_modules/esm-dep/package.json': JSON.stringify({ name: 'esm-dep', version: '1.0.0', type: 'module', main: 'index.js' }),
  'node_modules/esm-dep/index.js': "import { fileURLToPath } from 'node:url';\nimport * as path from 'node:path';\nconst __dirname = path.dirname(fileURLToPath(import.meta.url));\nexport const folder = () => __dirname === process.env.LAMBDA_TASK_ROOT;\n",
  'node_modules/esm-dep/index.d.ts': 'export declare function folder(): boolean;\n',
};

test("an ES module package's own top-level __dirname does not clash with the banner's", async () => {
  const tsconfigPath = project({ ...ESM_PACKAGE, 'src/esm.ts': service('Esm', "{ format: 'esm' }", 'folder()', "import { folder } from 'esm-dep';\n") }, BUNDLER_TSCONFIG);
  assert.is(await invoke(tsconfigPath, 'Esm.run'), true);
});

/** A project whose package.json says `"type": "module"`: TypeScript (node16) reads its .ts files as ES modules. */
function modulePackage(): string {
  return project({
    'package.json': JSON.stringify({ name: 'module-project', private: true, type: 'module' }),
    'src/words.ts': "export const word = 'from an ES module package';\n",
    'src/cjs.ts': service('Cjs', '', 'word', "import { word } from './words.js';\n"),
    'src/esm.ts': service('Esm', "{ format: 'esm' }", 'word.toUpperCase()', "import { word } from './words.js';\n"),
  });
}

test('in a "type": "module" package a CommonJS function builds to index.js and invokes', async () => {
  const tsconfigPath = modulePackage();
  const artifacts = await build(tsconfigPath);
  assert.equal(archiveNames(tsconfigPath, artifacts.find((a) => a.functionId === 'Cjs.run')!), ['index.js']);
  assert.is(await invoke(tsconfigPath, 'Cjs.run'), 'from an ES module package');
});

test('in a "type": "module" package an ES module function builds to index.mjs and invokes', async () => {
  const tsconfigPath = modulePackage();
  const artifacts = await build(tsconfigPath);
  assert.equal(archiveNames(tsconfigPath, artifacts.find((a) => a.functionId === 'Esm.run')!), ['index.mjs']);
  assert.is(await invoke(tsconfigPath, 'Esm.run'), 'FROM AN ES MODULE PACKAGE');
});

test('chunks of an ES module build are .mjs, and the entry imports them', async () => {
  const shared = "export async function shout(text: string) { return (await import('./lazy')).loud(text); }\n";
  const tsconfigPath = project({
    'src/shared.ts': shared,
    'src/lazy.ts': 'export const loud = (text: string) => text.toUpperCase() + "!";\n',
    'src/esm.ts': service('Esm', "{ format: 'esm' }", "shout('hi')", "import { shout } from './shared';\n"),
  }, BUNDLER_TSCONFIG);
  const [artifact] = await build(tsconfigPath);
  const names = archiveNames(tsconfigPath, artifact!);
  assert.is(names.length, 2, names.join(', '));
  assert.match(names[0]!, /^chunks\/lazy-[\w-]+\.mjs$/);
  assert.is(names[1], 'index.mjs');
  assert.is(await invoke(tsconfigPath, 'Esm.run'), 'HI!');
});

test('changing a function\'s format rebuilds it: another archive, index.mjs in place of index.js', async () => {
  const tsconfigPath = project({ 'src/plain.ts': service('Plain', '', "'plain'", '') });
  const [before] = await build(tsconfigPath);
  fs.writeFileSync(path.join(path.dirname(tsconfigPath), 'src', 'plain.ts'), service('Plain', "{ format: 'esm' }", "'plain'", ''));
  const [after] = await build(tsconfigPath);
  assert.is.not(after!.sha256, before!.sha256);
  assert.equal(archiveNames(tsconfigPath, after!), ['index.mjs']);
});

test('sparta explain says which functions are ES modules, and nothing of the default', async () => {
  const tsconfigPath = project({ 'src/esm.ts': service('Esm', "{ format: 'esm' }", "'esm'", ''), 'src/plain.ts': service('Plain', '', "'plain'", '') });
  const run = await runCli(['explain', '--project', tsconfigPath]);
  assert.is(run.code, 0, run.stderr);
  assert.is(run.stdout.split('\n').filter((line) => line.includes('format:')).length, 1);
  assert.match(run.stdout, /Esm\.run[^]*format: ES modules \(index\.mjs\)[^]*Plain\.run/);
});

/** `sparta explain`'s errors for a project of `source` alone. */
async function explainFailure(source: string): Promise<string> {
  const run = await runCli(['explain', '--project', project({ 'src/service.ts': source })]);
  assert.is(run.code, 1, run.stdout);
  return run.stderr;
}

test('a format that is neither cjs nor esm on @Lambda is SPARTA057 at the option', async () => {
  const stderr = await explainFailure(service('Plain', "{ format: 'module' }", "'plain'", ''));
  assert.match(stderr, /src\/service\.ts:5:21 - error SPARTA057: @Lambda `format` must be 'cjs' or 'esm', not "module"/);
  assert.match(stderr, "'esm' bundles ES modules");
});

test('a format that is neither cjs nor esm on @Service is SPARTA057 at the option', async () => {
  const stderr = await explainFailure(service('Plain', '', "'plain'", '').replace("@Service({ name: 'formats' })", "@Service({ name: 'formats', format: 'es' })"));
  assert.match(stderr, /src\/service\.ts:3:37 - error SPARTA057: @Service `format` must be 'cjs' or 'esm', not "es"/);
});

test.run();
