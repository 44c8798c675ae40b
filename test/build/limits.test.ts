import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildService } from '../../cli/package';
import { SpartaError } from '../../cli/errors';
import { copyFixture, fixtureService } from './fixture';
import { setup } from '../helpers/setup';

// Lambda's limits are 50 MB zipped and 250 MB unzipped; the same checks run
// here against small injected limits instead of writing 50 MB.

const Limits = suite<{ projectDir: string }>('archive limits');

setup(Limits, (context) => {
  context.projectDir = copyFixture();
});

async function buildWith(projectDir: string, limits: { zippedBytes: number; unzippedBytes: number }) {
  return buildService({
    projectDir,
    tsconfigPath: path.join(projectDir, 'tsconfig.json'),
    service: fixtureService(),
    outDir: path.join(projectDir, '.sparta'),
    limits,
  });
}

Limits('an archive over the zipped limit fails with the limit in the message', async ({ projectDir }) => {
  try {
    await buildWith(projectDir, { zippedBytes: 1000, unzippedBytes: 250 * 1024 * 1024 });
    assert.unreachable('the build should fail');
  } catch (error) {
    assert.ok(SpartaError.is(error));
    assert.is(error.code, 'SPARTA202');
    assert.match(error.message, '1000 bytes');
  }
});

Limits('code over the unzipped limit fails with the limit in the message', async ({ projectDir }) => {
  try {
    await buildWith(projectDir, { zippedBytes: 50 * 1024 * 1024, unzippedBytes: 2048 });
    assert.unreachable('the build should fail');
  } catch (error) {
    assert.ok(SpartaError.is(error));
    assert.is(error.code, 'SPARTA202');
    assert.match(error.message, '2048 bytes');
  }
});

Limits.run();
