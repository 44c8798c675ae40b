import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeProgram, analyzeProject } from '../../transformer/analyze';
import { analysisHost } from '../../transformer/declarations';
import { readTsconfig } from '../../transformer/tsconfig';
import { smallProject } from '../build/fixture';
import { REPO_ROOT } from '../helpers/paths';

// The analysis reads the declarations of sparta, @types/aws-lambda and of
// packages that depend on sparta, and leaves the other installed packages'
// declarations unresolved: the manifest and the diagnostics are those of the
// program that reads them all.

const SOURCE = `import { Service, Lambda, SQS, Resource, Ref } from 'sparta';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { Job } from 'sparta-jobs';

@Service({ name: 'mixed' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue' })
export class Mixed {
  @Lambda()
  region() {
    return new S3Client({}).config.region;
  }

  @Lambda()
  @SQS({ queue: Ref('Jobs') })
  wrongEvent(event: S3Event) {
    return event.Records.length;
  }

  @Job()
  nightly() {
    return 'ran';
  }
}
`;

/** A project using the SDK, @types/aws-lambda and a package (declarations only) that re-exports sparta's @Lambda as @Job. */
function project(): string {
  const tsconfig = smallProject({
    'src/mixed.ts': SOURCE,
    'node_modules/sparta-jobs/package.json': JSON.stringify({ name: 'sparta-jobs', version: '1.0.0', types: 'index.d.ts', peerDependencies: { sparta: '*' } }),
    'node_modules/sparta-jobs/index.d.ts': "export { Lambda as Job } from 'sparta';\n",
  });
  const modules = path.join(path.dirname(tsconfig), 'node_modules');
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@aws-sdk'), path.join(modules, '@aws-sdk'), 'dir');
  fs.mkdirSync(path.join(modules, '@types'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@types', 'aws-lambda'), path.join(modules, '@types', 'aws-lambda'), 'dir');
  return tsconfig;
}

function program(tsconfig: string, pruned: boolean): ts.Program {
  const { parsed } = readTsconfig(tsconfig);
  const options: ts.CompilerOptions = { ...parsed!.options, noLib: true, types: [], noEmit: true };
  return ts.createProgram({ rootNames: parsed!.fileNames, options, ...(pruned && { host: analysisHost(options) }) });
}

const files = (p: ts.Program) => p.getSourceFiles().map((file) => file.fileName);
const sdkFiles = (p: ts.Program) => files(p).filter((file) => /[\\/]@aws-sdk[\\/]|[\\/]@smithy[\\/]/.test(file));

test('the SDK\'s declarations are not read; @types/aws-lambda\'s and a package depending on sparta are', () => {
  const tsconfig = project();
  const full = program(tsconfig, false);
  assert.ok(sdkFiles(full).length > 50, `the full program reads the SDK (${sdkFiles(full).length} files)`);
  const pruned = program(tsconfig, true);
  assert.equal(sdkFiles(pruned), []);
  assert.ok(files(pruned).some((file) => /[\\/]@types[\\/]aws-lambda[\\/]/.test(file)), 'reads @types/aws-lambda');
  assert.ok(files(pruned).some((file) => /[\\/]sparta-jobs[\\/]index\.d\.ts$/.test(file)), 'reads sparta-jobs');
});

test('the manifest and diagnostics are those of the program that reads every declaration', () => {
  const tsconfig = project();
  const dir = path.dirname(tsconfig);
  const full = analyzeProgram(program(tsconfig, false), dir);
  const pruned = analyzeProject(tsconfig);
  const shape = (diagnostics: typeof full.diagnostics) => diagnostics.map(({ code, severity, file, line, column, message }) => ({ code, severity, file, line, column, message }));
  assert.equal(shape(pruned.diagnostics), shape(full.diagnostics));
  assert.equal(pruned.manifest, full.manifest);
});

test('an event type that does not match its source is still reported through the pruned program', () => {
  const pruned = analyzeProject(project());
  const wrong = pruned.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  assert.equal(wrong.map((diagnostic) => [diagnostic.file, diagnostic.line]), [['src/mixed.ts', 16]]);
  assert.match(wrong[0]!.message, 'S3Event');
});

test('a decorator re-exported by a package that depends on sparta is recognised: @Job is @Lambda', () => {
  const tsconfig = project();
  // Without the wrong event type, the manifest exists: every function, @Job's among them.
  fs.writeFileSync(path.join(path.dirname(tsconfig), 'src', 'mixed.ts'), SOURCE.replace('event: S3Event', 'event: unknown'));
  const { manifest, diagnostics } = analyzeProject(tsconfig);
  assert.ok(manifest, diagnostics.map((diagnostic) => diagnostic.message).join('\n'));
  assert.equal(manifest!.services[0]!.functions.map((fn) => fn.id).sort(), ['Mixed.nightly', 'Mixed.region', 'Mixed.wrongEvent']);
});

test.run();
