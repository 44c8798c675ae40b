import AdmZip from 'adm-zip';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lockfileFor, type PackedPackage } from '../../cli/package/node-modules';
import { runCli } from '../helpers/cli';
import { writeProject } from '../helpers/handmade';

// A linked package (a workspace's, `file:`, npm link) in `nodeModules` is in no
// registry: it is installed from what `npm pack` makes of its folder, so the
// archive holds what it would publish. No network: the package has no dependencies.

const SERVICE = `import { Lambda, Service } from 'sparta';
import { shout } from 'shout';
@Service({ name: 'loud' })
export class Loud {
  @Lambda({ nodeModules: ['shout'] })
  run(event: { text: string }) { return shout(event.text); }
}
`;

/** A project whose workspace package packages/shout (publishing `lib` only) is linked as node_modules/shout; `lock` as npm records the link. */
function workspaceProject(options: { lock?: boolean; version?: string | null } = {}): string {
  const version = options.version === undefined ? '1.0.0' : options.version;
  const root = writeProject({
    'src/service.ts': SERVICE,
    'package.json': JSON.stringify({ name: 'loud', version: '1.0.0', private: true, workspaces: ['packages/*'] }),
    'package-lock.json': JSON.stringify({
      name: 'loud',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'loud', version: '1.0.0', workspaces: ['packages/*'] },
        ...(options.lock !== false && { 'node_modules/shout': { resolved: 'packages/shout', link: true }, 'packages/shout': { version: version ?? undefined } }),
      },
    }),
    'packages/shout/package.json': JSON.stringify({ name: 'shout', ...(version !== null && { version }), main: 'lib/index.js', types: 'lib/index.d.ts', files: ['lib'] }),
    'packages/shout/lib/index.js': "exports.shout = (text) => text.toUpperCase() + '!';\n",
    'packages/shout/lib/index.d.ts': 'export declare function shout(text: string): string;\n',
    'packages/shout/test/index.test.js': "require('../lib');\n",
  });
  fs.symlinkSync(path.join('..', 'packages', 'shout'), path.join(root, 'node_modules', 'shout'), 'dir');
  return root;
}

const build = (root: string) => runCli(['build', '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta'), '--no-typecheck']);

function archiveOf(root: string): AdmZip {
  const report = JSON.parse(fs.readFileSync(path.join(root, '.sparta', 'loud', 'build.json'), 'utf8')) as { functions: Array<{ fileName: string }> };
  return new AdmZip(path.join(root, '.sparta', 'loud', report.functions[0].fileName));
}

const shoutEntries = (zip: AdmZip) => zip.getEntries().map((entry) => entry.entryName).filter((name) => name.startsWith('node_modules/')).sort();

test('a workspace package in nodeModules ships packed: its published files and package.json, not its tests', async () => {
  const root = workspaceProject();
  try {
    const run = await build(root);
    assert.is(run.code, 0, run.stderr);
    const zip = archiveOf(root);
    assert.equal(shoutEntries(zip), ['node_modules/shout/lib/index.d.ts', 'node_modules/shout/lib/index.js', 'node_modules/shout/package.json']);
    assert.is(zip.readAsText('node_modules/shout/lib/index.js'), "exports.shout = (text) => text.toUpperCase() + '!';\n");
    assert.match(zip.readAsText('index.js'), /require\('shout'\)/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the archive runs: the function calls the packed package under sparta invoke', async () => {
  const root = workspaceProject();
  try {
    assert.is((await build(root)).code, 0);
    const event = path.join(root, 'event.json');
    fs.writeFileSync(event, JSON.stringify({ text: 'hi' }));
    const run = await runCli(['invoke', 'Loud.run', '--no-build', '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta'), '--event', event]);
    assert.is(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout), 'HI!');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a changed file of the linked package is packed anew: the next build ships it', async () => {
  const root = workspaceProject();
  try {
    assert.is((await build(root)).code, 0);
    fs.writeFileSync(path.join(root, 'packages/shout/lib/index.js'), "exports.shout = (text) => text.toUpperCase() + '?';\n");
    const run = await build(root);
    assert.is(run.code, 0, run.stderr);
    assert.is(archiveOf(root).readAsText('node_modules/shout/lib/index.js'), "exports.shout = (text) => text.toUpperCase() + '?';\n");
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a package linked without a lockfile entry (npm link) is packed as well', async () => {
  const root = workspaceProject({ lock: false });
  try {
    const run = await build(root);
    assert.is(run.code, 0, run.stderr);
    assert.equal(shoutEntries(archiveOf(root)), ['node_modules/shout/lib/index.d.ts', 'node_modules/shout/lib/index.js', 'node_modules/shout/package.json']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a linked package npm cannot pack (no version) is SPARTA208, naming the package, the function and the folder', async () => {
  const root = workspaceProject({ version: null });
  try {
    const run = await build(root);
    assert.is(run.code, 1, run.stderr);
    assert.match(run.stderr, /SPARTA208/);
    assert.match(run.stderr, /Loud\.run lists shout in nodeModules, a linked package \(.*packages\/shout\), but npm pack could not pack it: .*must have name and version/);
    assert.match(run.stderr, /npm pack --dry-run/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('two functions that list the same linked package: it is packed once a build', async () => {
  if (process.platform === 'win32') return; // the npm wrapper below is a shell script
  const root = workspaceProject();
  try {
    const source = SERVICE.replace("  run(event: { text: string }) { return shout(event.text); }\n", "  run(event: { text: string }) { return shout(event.text); }\n  @Lambda({ nodeModules: ['shout'] })\n  again(event: { text: string }) { return shout(event.text + event.text); }\n");
    fs.writeFileSync(path.join(root, 'src/service.ts'), source);
    // An npm on PATH that notes each command before running the real one.
    const realNpm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    const bin = path.join(root, 'logging-npm');
    const log = path.join(root, 'npm.log');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${realNpm}' "$@"\n`, { mode: 0o755 });
    const run = await runCli(['build', '--project', path.join(root, 'tsconfig.json'), '--out', path.join(root, '.sparta'), '--no-typecheck'], { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    assert.is(run.code, 0, run.stderr);
    assert.equal(fs.readFileSync(log, 'utf8').split('\n').filter((command) => command === 'pack'), ['pack']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

// Worked out by hand: the workspace packages/lib depends on x (installed under it) and y (hoisted); packed, lib's
// entry is the tarball with lib's dependencies, x moves under node_modules/lib, y stays where it is.
test('the lockfile cut for a packed package: the tarball in place of the link, what the linked folder reaches', () => {
  const project = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', workspaces: ['packages/*'] },
      'node_modules/lib': { resolved: 'packages/lib', link: true },
      'packages/lib': { name: 'lib', version: '2.0.0', dependencies: { x: '^1.0.0', y: '^1.0.0' }, devDependencies: { z: '1.0.0' } },
      'packages/lib/node_modules/x': { version: '1.1.0' },
      'node_modules/y': { version: '1.0.0' },
      'node_modules/z': { version: '1.0.0', dev: true },
    },
  };
  const packed: PackedPackage = { spec: 'file:../packs/lib-0123456789abcdef.tgz', integrity: 'sha512-abc', version: '2.0.0', lockKey: 'packages/lib', manifest: {} };
  const { lock, packageJson } = lockfileFor(project, ['lib'], '/p/package-lock.json', 'A.run', { lib: packed }) as { lock: { packages: Record<string, object> }; packageJson: { dependencies: object } };
  assert.equal(packageJson.dependencies, { lib: 'file:../packs/lib-0123456789abcdef.tgz' });
  assert.equal(Object.keys(lock.packages), ['', 'node_modules/lib', 'node_modules/lib/node_modules/x', 'node_modules/y']);
  assert.equal(lock.packages['node_modules/lib'], { version: '2.0.0', resolved: 'file:../packs/lib-0123456789abcdef.tgz', integrity: 'sha512-abc', dependencies: { x: '^1.0.0', y: '^1.0.0' } });
});

test.run();
