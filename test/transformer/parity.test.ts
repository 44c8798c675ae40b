import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { METADATA } from '../../runtime/decorators';
import { getOwnMetadata } from '../../runtime/metadata';
import type { Manifest } from '../../manifest/types';
import { runCli } from '../helpers/cli';
import { EXAMPLES, REPO_ROOT } from '../helpers/paths';

// The ts-patch plugin (tspc) and `sparta explain` run the same analysis: their
// manifests must be byte-identical, and the decorators' run-time metadata must
// say the same as the manifest.

const test = suite('tspc and explain parity');

const projectDir = path.join(EXAMPLES, 'hello');
// Emitted inside the example, so its `import 'sparta'` resolves as in a user's project.
const outDir = path.join(projectDir, 'dist');
fs.rmSync(outDir, { recursive: true, force: true });
const manifestFile = path.join(projectDir, 'sparta.manifest.json');
fs.rmSync(manifestFile, { force: true });
execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'ts-patch', 'bin', 'tspc.js'), '-p', path.join(projectDir, 'tsconfig.json'), '--outDir', outDir], {
  stdio: 'pipe',
});
const written = fs.readFileSync(manifestFile, 'utf8');

test('tspc writes sparta.manifest.json beside the tsconfig', () => {
  assert.is((JSON.parse(written) as Manifest).manifestVersion, 1);
});

test('sparta explain --format json prints the same bytes', async () => {
  const run = await runCli(['explain', '--project', path.join(projectDir, 'tsconfig.json'), '--format', 'json']);
  assert.is(run.code, 0);
  assert.is(run.stdout, written);
});

type Read = (key: string, target: object, property?: string) => unknown;

/** What the decorators recorded, read through `read`, compared with the manifest. */
function assertMetadataMatches(read: Read) {
  const manifest = JSON.parse(written) as Manifest;
  const { Hello } = require(path.join(outDir, 'hello.js')) as { Hello: Function };
  const service = manifest.services[0];
  assert.equal(read(METADATA.service, Hello), { name: service.name, description: service.description, tags: service.tags });
  assert.equal(
    (read(METADATA.resources, Hello) as { logicalId: string }[]).map((r) => r.logicalId).sort(),
    service.resources.map((r) => r.logicalId),
  );
  const proto = Hello.prototype;
  for (const fn of service.functions) {
    assert.equal(read(METADATA.lambda, proto, fn.methodName), fn.options, `${fn.id} options`);
    const privileges = (read(METADATA.privileges, proto, fn.methodName) ?? []) as { actions: string | string[]; resource: unknown }[];
    assert.equal(
      privileges.map((p) => ({ actions: ([] as string[]).concat(p.actions), resource: p.resource })),
      fn.privileges.map(({ actions, resource }) => ({ actions, resource })),
      `${fn.id} privileges`,
    );
    const events = (read(METADATA.events, proto, fn.methodName) ?? []) as { kind: string; schedule?: string; topic?: unknown }[];
    assert.equal(
      events.map((e) => e.schedule ?? e.topic),
      fn.events.map((e) => (e.kind === 'schedule' ? e.schedule : e.kind === 'sns' ? e.topic : e.kind === 'pattern' ? e.pattern : undefined)),
      `${fn.id} events`,
    );
    assert.equal(read(METADATA.dependsOn, proto, fn.methodName) ?? [], fn.dependsOn, `${fn.id} dependsOn`);
  }
  assert.is(read(METADATA.lambda, proto, 'helper'), undefined);
}

test('the decorators record the same options at run time', () => {
  assertMetadataMatches(getOwnMetadata);
});

test('with reflect-metadata loaded by the application, Reflect.getMetadata sees the same', () => {
  assertMetadataMatches((key, target, property) => (property === undefined ? Reflect.getMetadata(key, target) : Reflect.getMetadata(key, target, property)));
});

test('tspc fails on a misconfigured decorator and writes no manifest', () => {
  fs.mkdirSync(path.join(REPO_ROOT, 'test', 'fixtures'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test', 'fixtures', '.tmp-tspc-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.copyFileSync(path.join(projectDir, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
    fs.writeFileSync(
      path.join(dir, 'src', 'bad.ts'),
      "import { Service, Lambda } from 'sparta';\n@Service({ name: 'svc' })\nexport class Bad {\n  @Lambda({ timeout: 0 })\n  run() {}\n}\n",
    );
    let output = '';
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'ts-patch', 'bin', 'tspc.js'), '-p', dir], { stdio: 'pipe' });
      assert.unreachable('tspc should fail');
    } catch (error) {
      output = String((error as { stdout?: Buffer }).stdout ?? '');
    }
    assert.match(output, /src\/bad\.ts\(4,22\): error TS990008: SPARTA008/);
    assert.not.ok(fs.existsSync(path.join(dir, 'sparta.manifest.json')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
