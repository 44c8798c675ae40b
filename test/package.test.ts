import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT } from './helpers/paths';

// The package as a user gets it: packed, installed into a fresh project
// outside this repo, and run through its `sparta` bin.

const test = suite('npm package');

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const quiet = { stdio: 'pipe' as const, env: { ...process.env, npm_config_loglevel: 'error', npm_config_fund: 'false', npm_config_audit: 'false' } };

test('npm pack ships runtime, transformer and cli, and sparta explain works in a fresh project', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-pack-'));
  try {
    const packed = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { ...quiet, cwd: REPO_ROOT }).toString();
    const [{ filename, files }] = JSON.parse(packed) as { filename: string; files: { path: string }[] }[];
    const shipped = files.map((file) => file.path);
    for (const expected of ['dist/runtime/index.js', 'dist/transformer/index.js', 'dist/cli/index.js', 'dist/manifest/types.d.ts']) {
      assert.ok(shipped.includes(expected), `${expected} is packed`);
    }
    assert.not.ok(shipped.some((file) => file.startsWith('dist/test/') || file.startsWith('test/')), 'tests are not packed');

    const project = path.join(work, 'user-project');
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'node16', strict: true, experimentalDecorators: true, types: [], plugins: [{ transform: 'sparta/transformer' }] }, include: ['src'] }),
    );
    fs.writeFileSync(
      path.join(project, 'src', 'orders.ts'),
      "import { Service, Lambda, Privilege } from 'sparta';\n@Service({ name: 'orders' })\nexport class Orders {\n  @Lambda({ memorySize: 512 })\n  @Privilege({ actions: 'dynamodb:PutItem', resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders' })\n  place() { return 'ok'; }\n}\n",
    );
    execFileSync(npm, ['install', '--prefer-offline', '--no-save', path.join(work, filename)], { ...quiet, cwd: project });

    const bin = path.join(project, 'node_modules', '.bin', 'sparta');
    const out = execFileSync(bin, ['explain', '--format', 'json'], { ...quiet, cwd: project }).toString();
    const manifest = JSON.parse(out);
    assert.is(manifest.services[0].name, 'orders');
    assert.equal(manifest.services[0].functions[0].options, { memorySize: 512 });
    assert.is(manifest.services[0].functions[0].source.file, 'src/orders.ts');

    // The same project compiles with tspc through the shipped transformer.
    execFileSync(process.execPath, [path.join(project, 'node_modules', 'ts-patch', 'bin', 'tspc.js'), '-p', project, '--outDir', path.join(project, 'out')], { ...quiet, cwd: project });
    assert.is(fs.readFileSync(path.join(project, 'sparta.manifest.json'), 'utf8'), out);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test.run();
