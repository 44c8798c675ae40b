import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/paths';
import { setup } from './helpers/setup';

// What a user installs must not build itself; packing builds it. The repo is
// copied without dist/ (as a fresh clone has it) and packed with its scripts.

const test = suite<{ work: string; copy: string; shipped: string[]; manifest: { scripts?: Record<string, string> } }>('packing');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = { stdio: 'pipe' as const, env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' } };

setup(test, (context) => {
  context.work = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-packing-'));
  context.copy = path.join(context.work, 'clone');
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT }).toString().split('\0').filter(Boolean);
  for (const file of tracked) {
    const from = path.join(REPO_ROOT, file);
    if (!fs.existsSync(from)) continue;
    fs.mkdirSync(path.dirname(path.join(context.copy, file)), { recursive: true });
    fs.copyFileSync(from, path.join(context.copy, file));
  }
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(context.copy, 'node_modules'), 'dir');
  const packed = execFileSync(npm, ['pack', '--json', '--pack-destination', context.work], { ...quiet, cwd: context.copy }).toString();
  const [{ filename, files }] = JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  context.shipped = files.map((file) => file.path);
  const tarball = path.join(context.work, filename);
  context.manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json']).toString());
});

test.after((context) => {
  if (context.work) fs.rmSync(context.work, { recursive: true, force: true });
});

test('npm pack builds: a copy without dist/ packs the compiled runtime, transformer and cli', ({ copy, shipped }) => {
  assert.ok(fs.existsSync(path.join(copy, 'dist', 'runtime', 'index.js')), 'the build ran in the copy');
  for (const expected of ['dist/runtime/index.js', 'dist/runtime/index.d.ts', 'dist/esm/runtime/index.js', 'dist/transformer/index.js', 'dist/cli/index.js']) {
    assert.ok(shipped.includes(expected), `${expected} is packed`);
  }
});

test('the packed package.json has no script that npm runs on install', ({ manifest }) => {
  const onInstall = ['preinstall', 'install', 'postinstall', 'prepare'].filter((name) => manifest.scripts?.[name] !== undefined);
  assert.equal(onInstall, []);
});

test.run();
