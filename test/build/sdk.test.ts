import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FunctionArtifact } from '../../manifest/types';
import { buildService } from '../../cli/package';
import { copyFixture, invokeLikeLambda, readArchive, storageService } from './fixture';
import { setup } from '../helpers/setup';

// The AWS SDK: bundled by default (it initialises faster, see bench/build.ts),
// or left to the Lambda runtime with bundleAwsSdk: false (--external-aws-sdk).

interface Build {
  outDir: string;
  region: FunctionArtifact;
}

const Sdk = suite<{ bundled: Build; external: Build }>('AWS SDK');

setup(Sdk, async (context) => {
  const projectDir = copyFixture();
  const build = async (name: string, bundleAwsSdk?: boolean): Promise<Build> => {
    const outDir = path.join(projectDir, name);
    const service = storageService();
    const [region] = await buildService({ projectDir, tsconfigPath: path.join(projectDir, 'tsconfig.json'), service, outDir, bundleAwsSdk });
    return { outDir, region: region! };
  };
  context.bundled = await build('bundled');
  context.external = await build('external', false);
});

const code = (build: Build) => [...readArchive(path.join(build.outDir, build.region.archive)).values()].join('\n');
// The SDK keeps a few optional requires (@aws-sdk/signature-v4-crt) inside try/catch; the client itself must be in.
const SDK_REQUIRE = /require\(['"](@aws-sdk\/client-s3|@smithy\/[^'"]+)['"]\)/;

Sdk('by default the SDK is inside the archive, which answers with no SDK on the machine', async ({ bundled }) => {
  assert.not.match(code(bundled), SDK_REQUIRE);
  const { result, error } = await invokeLikeLambda(path.join(bundled.outDir, bundled.region.archive), bundled.region.handler, {});
  assert.is(error, undefined);
  assert.equal(result, { region: 'eu-west-1' });
});

Sdk('external: the archive requires @aws-sdk and the runtime-provided SDK serves it', async ({ external }) => {
  assert.match(code(external), /require\(['"]@aws-sdk\/client-s3['"]\)/);
  const archive = path.join(external.outDir, external.region.archive);
  const { result } = await invokeLikeLambda(archive, external.region.handler, {}, { runtimeSdk: true });
  assert.equal(result, { region: 'eu-west-1' });
});

Sdk('external: without the runtime SDK the same archive cannot start, so it really is outside', async ({ external }) => {
  const archive = path.join(external.outDir, external.region.archive);
  try {
    await invokeLikeLambda(archive, external.region.handler, {});
    assert.unreachable('node should fail to load @aws-sdk/client-s3');
  } catch (error) {
    assert.match((error as Error).message, /Cannot find module '@aws-sdk\/client-s3'/);
  }
});

Sdk('bundling the SDK makes a larger archive', ({ bundled, external }) => {
  assert.ok(bundled.region.unzippedSize > external.region.unzippedSize * 2);
});

Sdk.run();
