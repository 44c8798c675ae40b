import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServiceManifest } from '../../manifest/types';
import { buildService } from '../../cli/package';
import { SpartaError } from '../../cli/errors';
import { copyFixture, fixtureService } from './fixture';

async function expectBuildError(projectDir: string, service: ServiceManifest): Promise<SpartaError> {
  try {
    await buildService({ projectDir, tsconfigPath: path.join(projectDir, 'tsconfig.json'), service, outDir: path.join(projectDir, '.sparta') });
  } catch (error) {
    if (SpartaError.is(error)) return error;
    throw error;
  }
  assert.unreachable('the build should fail');
  throw new Error('unreachable');
}

test('a class not exported under the recorded name fails as a bundle error', async () => {
  const service = fixtureService();
  service.functions = service.functions.map((f) => (f.id === 'Lean.ping' ? { ...f, exportName: 'Lean' } : f));
  const error = await expectBuildError(copyFixture(), service);
  assert.is(error.code, 'SPARTA201');
});

test('a syntax error fails as a bundle error that names the file', async () => {
  const projectDir = copyFixture();
  fs.appendFileSync(path.join(projectDir, 'src', 'lean.ts'), '\nexport const broken = ;\n');
  const error = await expectBuildError(projectDir, fixtureService());
  assert.is(error.code, 'SPARTA201');
  assert.match(error.message, 'src/lean.ts');
});

test('a missing source file fails as a bundle error', async () => {
  const service = fixtureService();
  service.functions = service.functions.map((f) => (f.id === 'Lean.ping' ? { ...f, source: { ...f.source, file: 'src/gone.ts' } } : f));
  const error = await expectBuildError(copyFixture(), service);
  assert.is(error.code, 'SPARTA201');
});

test.run();
