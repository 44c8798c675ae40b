import AdmZip from 'adm-zip';
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lockfileFor, nodeModulesFiles, packagesToInstall } from '../../cli/package/node-modules';
import { withEnv } from '../helpers/env';
import { spartaFailure } from '../helpers/errors';
import { runCli } from '../helpers/cli';
import { writeProject } from '../helpers/handmade';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';
import { setup } from '../helpers/setup';

// @Lambda/@Service({ nodeModules }): packages left out of the bundle and installed into the archive's node_modules
// for the function's platform, at the project lockfile's versions; a native addon reached by the bundle is refused.

/** A 4x2 red PNG, made by the test's own sharp (sparta's devDependency), not by the archive under test. */
const png4x2 = async () => (await sharp({ create: { width: 4, height: 2, channels: 3, background: 'red' } }).png().toBuffer()).toString('base64');

const SHARP_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/sharp/package.json'), 'utf8')) as { version: string }).version;

/** A project that depends on sharp: sparta's own lockfile records it, and node_modules/sharp gives its types. */
function sharpProject(source: string): string {
  const root = writeProject({
    'src/service.ts': source,
    'package.json': JSON.stringify({ name: 'images', version: '1.0.0', private: true, dependencies: { sharp: SHARP_VERSION } }),
  });
  fs.copyFileSync(path.join(REPO_ROOT, 'package-lock.json'), path.join(root, 'package-lock.json'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules/sharp'), path.join(root, 'node_modules/sharp'), 'dir');
  return root;
}

function entriesOf(out: string, service: string, functionId: string): string[] {
  const report = JSON.parse(fs.readFileSync(path.join(out, service, 'build.json'), 'utf8')) as { functions: Array<{ functionId: string; archive: string; service: string }> };
  const artifact = report.functions.find((fn) => fn.functionId === functionId && fn.service === service)!;
  return new AdmZip(path.resolve(out, service, artifact.archive)).getEntries().map((entry) => entry.entryName);
}

/** The `@img/...` packages an archive holds, by name. */
function imgPackages(entries: string[]): string[] {
  return [...new Set(entries.filter((e) => e.startsWith('node_modules/@img/')).map((e) => e.split('/').slice(1, 3).join('/')))].sort();
}

const images = suite<{ root: string; out: string; build: { code: number; stderr: string } }>('sharp in nodeModules');
setup(images, async (context) => {
  context.root = sharpProject(fs.readFileSync(path.join(FIXTURES, 'sharp-service/service.ts'), 'utf8'));
  context.out = path.join(context.root, '.sparta');
  context.build = await runCli(['build', '--project', path.join(context.root, 'tsconfig.json'), '--out', context.out]);
});
images.after((context) => fs.rmSync(context.root, { recursive: true, force: true }));

images('the build succeeds and the bundle requires sharp instead of holding it', (context) => {
  assert.is(context.build.code, 0, context.build.stderr);
  const report = JSON.parse(fs.readFileSync(path.join(context.out, 'images', 'build.json'), 'utf8')) as { functions: Array<{ functionId: string; archive: string }> };
  const zip = new AdmZip(path.resolve(context.out, 'images', report.functions.find((fn) => fn.functionId === 'Images.resize')!.archive));
  const code = zip.readAsText('index.js') + zip.getEntries().filter((e) => e.entryName.startsWith('chunks/')).map((e) => zip.readAsText(e)).join('');
  assert.match(code, /require\('sharp'\)/);
  assert.not.match(code, /sharp-libvips/);
});

images('the x86_64 function ships linux-x64 glibc sharp and nothing of another platform', (context) => {
  const entries = entriesOf(context.out, 'images', 'Images.resize');
  assert.ok(entries.includes('node_modules/sharp/package.json'));
  assert.equal(imgPackages(entries), ['@img/colour', '@img/sharp-libvips-linux-x64', '@img/sharp-linux-x64']);
  assert.ok(entries.includes('node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64.node'), entries.filter((e) => e.endsWith('.node')).join(', '));
});

images('the arm64 function ships linux-arm64 glibc sharp and nothing of another platform', (context) => {
  const entries = entriesOf(context.out, 'images', 'Images.resizeOnArm');
  assert.equal(imgPackages(entries), ['@img/colour', '@img/sharp-libvips-linux-arm64', '@img/sharp-linux-arm64']);
  assert.equal(entries.filter((e) => e.endsWith('.node')), ['node_modules/@img/sharp-linux-arm64/lib/sharp-linux-arm64.node']);
});

images('npm bookkeeping (.package-lock.json, .bin) stays out of the archive', (context) => {
  const entries = entriesOf(context.out, 'images', 'Images.resize');
  assert.not.ok(entries.some((e) => e === 'node_modules/.package-lock.json' || e.startsWith('node_modules/.bin/')));
});

images('the x86_64 archive resizes a PNG under sparta invoke (this machine is linux-x64)', async (context) => {
  if (process.platform !== 'linux' || process.arch !== 'x64') return; // the archive's binary is linux-x64's
  const event = path.join(context.root, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ png: await png4x2(), width: 2 }));
  const run = await runCli(['invoke', 'Images.resize', '--no-build', '--project', path.join(context.root, 'tsconfig.json'), '--out', context.out, '--event', event]);
  assert.is(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), { width: 2, height: 1, format: 'png' });
});

images('a second build installs nothing: npm is not called (a failing npm on PATH does not matter)', async (context) => {
  const bin = path.join(context.root, 'broken-npm');
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\necho "npm must not run" >&2\nexit 1\n', { mode: 0o755 });
  const archives = () => (JSON.parse(fs.readFileSync(path.join(context.out, 'images', 'build.json'), 'utf8')) as { functions: unknown[] }).functions;
  const before = archives();
  fs.appendFileSync(path.join(context.root, 'src/service.ts'), '\n// touched, so that the build runs again\n');
  const again = await runCli(['build', '--project', path.join(context.root, 'tsconfig.json'), '--out', context.out], { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout + again.stderr, /Images\.resize/, 'built again, not skipped as unchanged');
  assert.equal(archives(), before, 'the same archives (a comment changes no bundle)');
});

images.run();

const failures = suite('nodeModules failures');

failures('sharp reached by the bundle without nodeModules is SPARTA210, naming sharp and nodeModules', async () => {
  const root = sharpProject(`import { Lambda, Service } from 'sparta';
import sharp from 'sharp';
@Service({ name: 'images' })
export class Images {
  @Lambda()
  async run() { return (await sharp({ create: { width: 1, height: 1, channels: 3, background: 'red' } }).png().toBuffer()).length; }
}
`);
  try {
    // Bundling sharp needs its own dependencies resolvable, as in a real project.
    for (const dep of ['@img', 'detect-libc', 'semver']) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', dep), path.join(root, 'node_modules', dep), 'dir');
    const run = await runCli(['build', '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta')]);
    assert.is(run.code, 1);
    assert.match(run.stderr, /SPARTA210/, run.stderr);
    assert.match(run.stderr, /package sharp \(imported by src\/service\.ts\) ships a native addon \(src\/binding\.gyp\)/);
    assert.match(run.stderr, /nodeModules: \['sharp'\]/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

failures('a package with a .node file deep inside is refused too, with the file named', async () => {
  const root = writeProject({
    'src/service.ts': `import { Lambda, Service } from 'sparta';
import { hello } from 'addon-wrapper';
@Service({ name: 'native' })
export class Native {
  @Lambda()
  run() { return hello(); }
}
`,
  });
  const addon = {
    'node_modules/addon-wrapper/package.json': JSON.stringify({ name: 'addon-wrapper', version: '1.0.0', main: 'index.js', types: 'index.d.ts' }),
    'node_modules/addon-wrapper/index.js': "exports.hello = () => 'hi';\n",
    'node_modules/addon-wrapper/index.d.ts': 'export declare function hello(): string;\n',
    'node_modules/addon-wrapper/prebuilds/linux-x64/addon.node': 'not really an ELF file',
  };
  try {
    // writeProject makes node_modules itself (sparta's links).
    for (const [file, text] of Object.entries(addon)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    const run = await runCli(['build', '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta')]);
    assert.is(run.code, 1);
    assert.match(run.stderr, /SPARTA210/, run.stderr);
    assert.match(run.stderr, /package addon-wrapper .*ships a native addon \(prebuilds\/linux-x64\/addon\.node\)/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

failures('a nodeModules package the lockfile does not have is SPARTA211', async () => {
  const root = writeProject({
    'src/service.ts': `import { Lambda, Service } from 'sparta';
@Service({ name: 'images' })
export class Images {
  @Lambda({ nodeModules: ['left-pad'] })
  run() { return 1; }
}
`,
    'package.json': JSON.stringify({ name: 'images', version: '1.0.0' }),
    'package-lock.json': JSON.stringify({ name: 'images', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'images', version: '1.0.0' } } }),
  });
  try {
    const run = await runCli(['build', '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta')]);
    assert.is(run.code, 1);
    assert.match(run.stderr, /SPARTA211/);
    assert.match(run.stderr, /Images\.run lists left-pad in nodeModules, but package-lock\.json has no top-level node_modules\/left-pad/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

failures('a package in both nodeModules and external is SPARTA053 at the option', async () => {
  const source = `import { Lambda, Service } from 'sparta';
@Service({ name: 'images' })
export class Images {
  @Lambda({ external: ['sharp'], nodeModules: ['sharp'] })
  run() { return 1; }
}
`;
  const root = writeProject({ 'src/service.ts': source });
  try {
    const run = await runCli(['explain', '--project', path.join(root, 'tsconfig.json')]);
    assert.is(run.code, 1);
    assert.match(run.stderr, /src\/service\.ts:4:\d+/);
    assert.match(run.stderr, /SPARTA053/);
    assert.match(run.stderr, /lists "sharp" in both `nodeModules` and `external`/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

failures('npm older than 10 (which ignores --cpu) is SPARTA212, before anything is installed', async () => {
  const root = writeProject({ 'src/service.ts': 'export {};\n' });
  try {
    fs.copyFileSync(path.join(REPO_ROOT, 'package-lock.json'), path.join(root, 'package-lock.json'));
    fs.mkdirSync(path.join(root, 'old-npm'));
    fs.writeFileSync(path.join(root, 'old-npm/npm'), '#!/bin/sh\necho 9.8.1\n', { mode: 0o755 });
    const error = await spartaFailure(() =>
      withEnv({ PATH: `${path.join(root, 'old-npm')}${path.delimiter}${process.env.PATH}` }, () =>
        nodeModulesFiles({ projectDir: root, outDir: path.join(root, '.sparta'), functionId: 'Images.resize', packages: ['sharp'], architecture: 'arm64' })));
    assert.is(error.code, 'SPARTA212');
    assert.match(error.message, /npm could not install sharp for linux-arm64 \(glibc\): npm 9\.8\.1 cannot choose another platform's packages/);
    assert.not.ok(fs.existsSync(path.join(root, '.sparta/cache/node-modules')) && fs.readdirSync(path.join(root, '.sparta/cache/node-modules')).length > 0);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

failures.run();

const lock = suite('the lockfile cut for an install');

// Worked out by hand: app depends on a (1.0.0) and b; a needs c@2 (nested under a) and optionally d; b needs c@1
// (top level). Cut for `a`: a, its nested c@2 and d (optional); not b, nor the top-level c@1.
const PROJECT_LOCK = {
  lockfileVersion: 3,
  packages: {
    '': { name: 'app', dependencies: { a: '^1.0.0', b: '^1.0.0' } },
    'node_modules/a': { version: '1.0.0', dev: true, dependencies: { c: '^2.0.0' }, optionalDependencies: { d: '1.0.0' } },
    'node_modules/a/node_modules/c': { version: '2.0.0', dev: true },
    'node_modules/b': { version: '1.0.0', dependencies: { c: '^1.0.0' } },
    'node_modules/c': { version: '1.0.0' },
    'node_modules/d': { version: '1.0.0', dev: true, optional: true, cpu: ['arm64'] },
  },
};

lock('takes the package and what it reaches, by node lookup, at the locked versions', () => {
  const { lock: cut, packageJson } = lockfileFor(PROJECT_LOCK, ['a'], '/p/package-lock.json', 'A.run') as { lock: { packages: Record<string, object> }; packageJson: { dependencies: object } };
  assert.equal(packageJson.dependencies, { a: '1.0.0' });
  assert.equal(Object.keys(cut.packages), ['', 'node_modules/a', 'node_modules/a/node_modules/c', 'node_modules/d']);
});

lock('an entry reached only through optional dependencies is optional, dev flags are gone', () => {
  const { lock: cut } = lockfileFor(PROJECT_LOCK, ['a'], '/p/package-lock.json', 'A.run') as { lock: { packages: Record<string, Record<string, unknown>> } };
  assert.equal(cut.packages['node_modules/d'], { version: '1.0.0', cpu: ['arm64'], optional: true });
  assert.equal(cut.packages['node_modules/a/node_modules/c'], { version: '2.0.0' });
});

lock.run();

const required = suite('which nodeModules packages an archive gets');

const file = (code: string) => [{ path: 'index.js', contents: Buffer.from(code) }, { path: 'index.js.map', contents: Buffer.from("require('canvas')") }];

required("its own, and another function's that its bundle requires (a subpath too), but not one it never requires", () => {
  const serviceWide = new Set(['sharp', 'canvas', '@napi-rs/image']);
  const code = "'use strict';\nvar sharp = require('sharp');\nvar codec = require('@napi-rs/image/codecs');\n";
  assert.equal(packagesToInstall(undefined, serviceWide, file(code)), ['@napi-rs/image', 'sharp']);
  assert.equal(packagesToInstall(['canvas'], serviceWide, file("exports.x = 1;\n")), ['canvas']);
});

required("an ES module archive gets another function's package it imports, minified or not, statically or dynamically", () => {
  const esm = (code: string) => [{ path: 'index.mjs', contents: Buffer.from(code) }, { path: 'index.mjs.map', contents: Buffer.from("from 'canvas'") }];
  const serviceWide = new Set(['sharp', 'canvas', '@napi-rs/image', 'pg']);
  const code = "import sharp from 'sharp';\nimport'@napi-rs/image/codecs';const pg=()=>import(\"pg\");\n";
  assert.equal(packagesToInstall(undefined, serviceWide, esm(code)), ['@napi-rs/image', 'pg', 'sharp']);
  assert.equal(packagesToInstall(undefined, new Set(['sharp']), esm('import{a}from"sharp";\n')), ['sharp']);
});

required('a package whose name only starts like a listed one is not it', () => {
  assert.equal(packagesToInstall(undefined, new Set(['sharp']), file("require('sharp-cli');\n")), []);
});

required.run();
