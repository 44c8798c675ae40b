import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FunctionArtifact } from '../../manifest/types';
import { buildService } from '../../cli/package';
import { copyFixture, fixtureService, invokeLikeLambda, readArchive } from './fixture';
import { setup } from '../helpers/setup';

// --minify and --sourcemap, built once together and compared with a plain build.

interface Build {
  outDir: string;
  artifacts: FunctionArtifact[];
}

const Options = suite<{ plain: Build; mapped: Build }>('build options');

setup(Options, async (context) => {
  const projectDir = copyFixture();
  const base = { projectDir, tsconfigPath: path.join(projectDir, 'tsconfig.json'), service: fixtureService() };
  const build = async (name: string, extra: { minify?: boolean; sourcemap?: boolean }): Promise<Build> => {
    const outDir = path.join(projectDir, name);
    return { outDir, artifacts: await buildService({ ...base, outDir, ...extra }) };
  };
  context.plain = await build('plain', {});
  context.mapped = await build('mapped', { minify: true, sourcemap: true });
});

/** The archive's JavaScript, without the maps. */
function codeSize(build: Build, a: FunctionArtifact): number {
  return [...readArchive(path.join(build.outDir, a.archive))].filter(([name]) => name.endsWith('.js')).reduce((n, [, text]) => n + text.length, 0);
}

Options('source maps ship beside every file, and the artifact says so', ({ plain, mapped }) => {
  for (const a of mapped.artifacts) {
    assert.is(a.sourceMaps, true);
    const names = [...readArchive(path.join(mapped.outDir, a.archive)).keys()];
    for (const name of names.filter((n) => n.endsWith('.js'))) assert.ok(names.includes(`${name}.map`), `${a.functionId}: ${name}.map`);
  }
  for (const a of plain.artifacts) assert.is(a.sourceMaps, undefined);
});

Options('minified code is smaller than plain code, function by function', ({ plain, mapped }) => {
  plain.artifacts.forEach((a, i) => assert.ok(codeSize(mapped, mapped.artifacts[i]!) < codeSize(plain, a), a.functionId));
});

Options('minified code still answers', async ({ mapped }) => {
  const hello = mapped.artifacts.find((a) => a.functionId === 'Greeter.hello')!;
  const { result } = await invokeLikeLambda(path.join(mapped.outDir, hello.archive), hello.handler, { name: 'min' });
  assert.equal(result, { message: 'Hello, min', requestId: 'request-1', calls: 1 });
});

Options('with source maps enabled, a stack trace names the TypeScript source', async ({ mapped }) => {
  const fail = mapped.artifacts.find((a) => a.functionId === 'Greeter.fail')!;
  const { error } = await invokeLikeLambda(path.join(mapped.outDir, fail.archive), fail.handler, { reason: 'maps' }, { nodeOptions: '--enable-source-maps' });
  assert.is(error?.message, 'failed on purpose: maps');
  assert.match(error!.stack, /src\/greeter\.ts:\d+:\d+/);
});

Options.run();
