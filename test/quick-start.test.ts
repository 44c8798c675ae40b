import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/paths';
import { setup } from './helpers/setup';

// The README's quick start, as written, in a fresh project: its files, and in
// node_modules the packed sparta and only the @types packages it installs.

const test = suite<{ work: string; tarball: string }>('quick start');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

interface QuickStart {
  /** path → text, from each fence whose first line is `// path`. */
  files: Map<string, string>;
  /** The `@types/*` packages its `npm install` lines name. */
  types: string[];
}

/** The quick start between README's `<!-- quick-start` and `<!-- /quick-start -->` markers. */
function readQuickStart(): QuickStart {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('<!-- quick-start');
  const end = readme.indexOf('<!-- /quick-start -->');
  assert.ok(start >= 0 && end > start, 'README.md marks its quick start');
  const section = readme.slice(start, end);
  const files = new Map<string, string>();
  const types: string[] = [];
  for (const [, lang, body] of section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)) {
    if (lang === 'sh') {
      for (const line of body.split('\n').filter((line) => /^npm (install|i) /.test(line))) types.push(...line.split(/\s+/).filter((word) => word.startsWith('@types/')));
      continue;
    }
    const named = /^\/\/ (\S+)\n/.exec(body);
    if (named) files.set(named[1], body);
  }
  return { files, types };
}

/** A fresh project with `files`, the packed sparta and the named `@types` packages (linked from this repo). */
function freshProject(work: string, tarball: string, files: Map<string, string>, types: string[]): string {
  const project = fs.mkdtempSync(path.join(work, 'project-'));
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.writeFileSync(path.join(project, file), text);
  }
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'fresh', version: '1.0.0', private: true }));
  const sparta = path.join(project, 'node_modules', 'sparta');
  fs.mkdirSync(sparta, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', sparta, '--strip-components=1']);
  for (const name of types) {
    const from = path.join(REPO_ROOT, 'node_modules', name);
    assert.ok(fs.existsSync(from), `${name} (the quick start installs it) is a dev dependency of this repo`);
    fs.mkdirSync(path.dirname(path.join(project, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(from, path.join(project, 'node_modules', name), 'dir');
  }
  return project;
}

/** tsc --noEmit on the project: its output ('' when it compiles). */
function typecheck(project: string): string {
  try {
    execFileSync(process.execPath, [TSC, '--noEmit', '-p', project], { stdio: 'pipe', cwd: project });
    return '';
  } catch (error) {
    return String((error as { stdout: Buffer }).stdout) || String(error);
  }
}

setup(test, (context) => {
  context.work = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-quick-start-'));
  const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', context.work], { stdio: 'pipe', cwd: REPO_ROOT }).toString();
  context.tarball = path.join(context.work, (JSON.parse(packed) as { filename: string }[])[0].filename);
});

test.after((context) => {
  if (context.work) fs.rmSync(context.work, { recursive: true, force: true });
});

test('the quick start holds src/hello.ts and tsconfig.json, and installs @types/aws-lambda', () => {
  const { files, types } = readQuickStart();
  assert.equal([...files.keys()].sort(), ['src/hello.ts', 'tsconfig.json']);
  assert.ok(types.includes('@types/aws-lambda'), JSON.stringify(types));
});

test("the quick start type-checks in a fresh project with what it installs", ({ work, tarball }) => {
  const { files, types } = readQuickStart();
  const project = freshProject(work, tarball, files, types);
  assert.is(typecheck(project), '');
});

test('without @types/node the quick start does not type-check: @types/aws-lambda imports node:stream', ({ work, tarball }) => {
  const { files, types } = readQuickStart();
  const project = freshProject(work, tarball, files, types.filter((name) => name !== '@types/node'));
  assert.match(typecheck(project), "error TS2307: Cannot find module 'node:stream'");
});

test("sparta's declarations need no @types package: every export of sparta and sparta/manifest compiles with none", ({ work, tarball }) => {
  const files = new Map([
    ['tsconfig.json', JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'node16', strict: true, experimentalDecorators: true }, include: ['src'] })],
    ['src/all.ts', "import * as sparta from 'sparta';\nimport type * as manifest from 'sparta/manifest';\nexport const runtime: typeof sparta = sparta;\nexport type Manifest = manifest.Manifest;\n"],
  ]);
  const project = freshProject(work, tarball, files, []);
  assert.not.ok(fs.existsSync(path.join(project, 'node_modules', '@types')));
  assert.is(typecheck(project), '');
});

test.run();
