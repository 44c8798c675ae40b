import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveLambdaSettings } from '../../manifest/defaults';
import type { BuildReport, FunctionArtifact } from '../../manifest/types';
import { buildService, writeBuildReport } from '../../cli/package';
import { REPO_ROOT } from '../helpers/paths';
import { copyFixture, fixtureService, invokeLikeLambda, readArchive } from './fixture';
import { setup } from '../helpers/setup';

// One build of the fixture service, shared by the assertions below; the
// determinism tests build it again, in the same folder and in another.

interface Built {
  projectDir: string;
  outDir: string;
  artifacts: FunctionArtifact[];
  report: string;
}

async function build(projectDir: string): Promise<Built> {
  const outDir = path.join(projectDir, '.sparta');
  const artifacts = await buildService({ projectDir, tsconfigPath: path.join(projectDir, 'tsconfig.json'), service: fixtureService(), outDir });
  const report = fs.readFileSync(writeBuildReport(path.join(outDir, 'build-fixture'), artifacts), 'utf8');
  return { projectDir, outDir, artifacts, report };
}

const archiveBytes = (built: Built) => built.artifacts.map((a) => fs.readFileSync(path.join(built.outDir, a.archive)));
const artifact = (built: Built, id: string) => built.artifacts.find((a) => a.functionId === id)!;
const archiveOf = (built: Built, id: string) => path.join(built.outDir, artifact(built, id).archive);

const Build = suite<{ built: Built }>('sparta build');

setup(Build, async (context) => {
  context.built = await build(copyFixture());
});

Build('every function gets one archive, in function id order', ({ built }) => {
  assert.equal(built.artifacts.map((a) => a.functionId), fixtureService().functions.map((f) => f.id));
});

Build('each archive has index.js at its root and the handler string index.handler', ({ built }) => {
  for (const a of built.artifacts) {
    assert.is(a.handler, 'index.handler');
    assert.ok(readArchive(path.join(built.outDir, a.archive)).has('index.js'), a.functionId);
  }
});

Build('archives are <service>/<id>-<16 hex of sha256>.zip, with sha256 and sizes of what is on disk', ({ built }) => {
  for (const a of built.artifacts) {
    const bytes = fs.readFileSync(path.join(built.outDir, a.archive));
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    assert.is(a.sha256, sha256);
    assert.is(a.fileName, `${a.functionId}-${sha256.slice(0, 16)}.zip`);
    assert.is(a.archive, `build-fixture/${a.fileName}`);
    assert.is(a.zippedSize, bytes.length);
    const unzipped = [...readArchive(path.join(built.outDir, a.archive)).values()].reduce((n, text) => n + Buffer.byteLength(text), 0);
    assert.is(a.unzippedSize, unzipped);
  }
});

Build("the service's build.json lists the artifacts, each archive named relative to it", ({ built }) => {
  const report = JSON.parse(built.report) as BuildReport;
  assert.is(report.buildVersion, 2);
  assert.equal(report.functions, built.artifacts.map((a) => ({ ...a, archive: a.fileName })));
  for (const a of report.functions) assert.ok(fs.existsSync(path.join(built.outDir, 'build-fixture', a.archive)), a.archive);
});

Build('building again in the same folder gives byte-identical archives and build.json', async ({ built }) => {
  const before = archiveBytes(built);
  const again = await build(built.projectDir);
  assert.equal(again.artifacts, built.artifacts);
  assert.is(again.report, built.report);
  const after = archiveBytes(again);
  before.forEach((bytes, i) => assert.ok(bytes.equals(after[i]!), built.artifacts[i]!.functionId));
});

Build('building a copy in another folder gives the same bytes: no machine path gets in', async ({ built }) => {
  const elsewhere = await build(copyFixture());
  assert.is(elsewhere.report, built.report);
  for (const a of built.artifacts) {
    for (const [name, text] of readArchive(path.join(built.outDir, a.archive))) {
      assert.not.ok(text.includes(built.projectDir) || text.includes(REPO_ROOT), `${a.functionId}: ${name}`);
    }
  }
});

Build('a sync method answers a Lambda-style invocation with its result', async ({ built }) => {
  const { result, error } = await invokeLikeLambda(archiveOf(built, 'Greeter.hello'), 'index.handler', { name: 'Ada' });
  assert.is(error, undefined);
  assert.equal(result, { message: 'Hello, Ada', requestId: 'request-1', calls: 1 });
});

Build('an async method on nodejs22.x / arm64 answers with its result, through the same handler string', async ({ built }) => {
  const later = fixtureService().functions.find((f) => f.id === 'Greeter.later')!;
  const settings = resolveLambdaSettings(later.options);
  assert.is(settings.runtime, 'nodejs22.x');
  assert.is(settings.architecture, 'arm64');
  const a = artifact(built, 'Greeter.later');
  assert.is(a.handler, 'index.handler');
  const { result } = await invokeLikeLambda(archiveOf(built, 'Greeter.later'), a.handler, { name: 'Grace', delayMs: 5 });
  assert.equal(result, { message: 'Hello, Grace', async: true });
});

Build('a default-exported class is wired like a named one', async ({ built }) => {
  const { result } = await invokeLikeLambda(archiveOf(built, 'Lean.ping'), 'index.handler', { n: 41 });
  assert.equal(result, { pong: 42 });
});

Build("a method's exception rejects the invocation", async ({ built }) => {
  const { result, error } = await invokeLikeLambda(archiveOf(built, 'Greeter.fail'), 'index.handler', { reason: 'test' });
  assert.is(result, undefined);
  assert.is(error?.message, 'failed on purpose: test');
});

Build('tree-shaking: a function that does not import the heavy module does not ship it', ({ built }) => {
  const contains = (id: string) => [...readArchive(archiveOf(built, id)).values()].some((text) => text.includes('heavy-module-marker-7f3a'));
  assert.ok(contains('Reporter.report'));
  for (const id of ['Lean.ping', 'Greeter.hello', 'Greeter.later']) assert.not.ok(contains(id), id);
  assert.ok(artifact(built, 'Reporter.report').unzippedSize > artifact(built, 'Lean.ping').unzippedSize);
});

Build.run();
