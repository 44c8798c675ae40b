import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheKey, readCache, readOutputs, writeCache } from '../../cli/bundle/cache';
import { buildService } from '../../cli/package';
import type { FunctionArtifact } from '../../manifest/types';
import { analyzeProject } from '../../transformer/analyze';
import { readArchive, smallProject } from '../build/fixture';

// Rollup's cache kept under the out folder (cli/bundle/cache.ts): a warm build
// gives the same archives as a cold one, reuses what it may, and never trusts
// a damaged file or one made for other inputs.

const GREET = `import { Lambda, Service } from 'sparta';
import { shout } from './words.js';

@Service({ name: 'cached' })
export class Greeter {
  @Lambda()
  async greet(event: { name: string }) {
    return shout('hello ' + event.name);
  }
}
`;

const COUNT = `import { Lambda, Service } from 'sparta';
import { shout } from './words.js';

@Service({ name: 'cached' })
export class Counter {
  @Lambda()
  async count(event: { items: string[] }) {
    return shout(String(event.items.length));
  }
}
`;

const WORDS = `export function shout(text: string): string {
  return text.toUpperCase() + '!';
}
`;

interface Project {
  dir: string;
  outDir: string;
  cacheDir: string;
  build(): Promise<FunctionArtifact[]>;
}

function project(): Project {
  const tsconfigPath = smallProject({ 'src/greet.ts': GREET, 'src/count.ts': COUNT, 'src/words.ts': WORDS, 'package-lock.json': '{"lockfileVersion":3}\n' });
  const dir = path.dirname(tsconfigPath);
  const outDir = path.join(dir, 'out');
  return {
    dir,
    outDir,
    cacheDir: path.join(outDir, 'cache', 'cached'),
    async build() {
      const analysis = analyzeProject(tsconfigPath);
      if (!analysis.manifest) throw new Error(`the project does not analyse: ${JSON.stringify(analysis.diagnostics)}`);
      return buildService({ projectDir: dir, tsconfigPath, service: analysis.manifest.services[0]!, outDir });
    },
  };
}

/** The key of the one group's files, `rollup-<key>.bin` and `outputs-<key>.bin` (both functions import no package). */
function storedKey(cacheDir: string): string {
  const names = fs.readdirSync(cacheDir).sort();
  assert.equal(names.length, 2, `one group's two files, found ${names.join(', ')}`);
  const key = /^outputs-([0-9a-f]+)\.bin$/.exec(names[0]!)![1]!;
  assert.is(names[1], `rollup-${key}.bin`);
  return key;
}

/** Rewrites the cached output of `words.ts` (not its source), so that a build that reuses the cache says so. */
function tamperWithWords(cacheDir: string): void {
  const key = storedKey(cacheDir);
  const cache = readCache(cacheDir, key)!;
  const words = cache.modules!.find((m) => m.id.endsWith(`${path.sep}words.ts`))!;
  words.code = words.code.replace("'!'", "'?! (from the cache)'");
  writeCache(cacheDir, key, cache);
}

function archiveBytes(outDir: string, artifacts: FunctionArtifact[]): Map<string, Buffer> {
  return new Map(artifacts.map((a) => [a.functionId, fs.readFileSync(path.join(outDir, a.archive))]));
}

function indexOf(outDir: string, artifacts: FunctionArtifact[], functionId: string): string {
  const artifact = artifacts.find((a) => a.functionId === functionId)!;
  const files = readArchive(path.join(outDir, artifact.archive));
  return [...files.values()].join('\n');
}

test('a warm build writes archives byte for byte those of the cold build', async () => {
  const p = project();
  const cold = await p.build();
  const coldBytes = archiveBytes(p.outDir, cold);
  const warm = await p.build();
  assert.equal(warm.map((a) => a.sha256), cold.map((a) => a.sha256));
  assert.equal(archiveBytes(p.outDir, warm), coldBytes);
});

test('after a change, a warm build writes the archives a cold build of the changed project writes', async () => {
  const p = project();
  await p.build();
  fs.writeFileSync(path.join(p.dir, 'src', 'greet.ts'), GREET.replace("'hello '", "'good day '"));
  const warm = archiveBytes(p.outDir, await p.build());
  fs.rmSync(p.outDir, { recursive: true });
  const cold = archiveBytes(p.outDir, await p.build());
  assert.equal(warm, cold);
  assert.is(warm.size, 2);
});

test('a warm build with no change reuses the outputs and leaves both cache files as they were', async () => {
  const p = project();
  await p.build();
  const key = storedKey(p.cacheDir);
  const files = [`rollup-${key}.bin`, `outputs-${key}.bin`].map((name) => path.join(p.cacheDir, name));
  const before = files.map((file) => fs.readFileSync(file));
  // An mtime no write keeps: a rewrite, even of the same bytes, would change it.
  for (const file of files) fs.utimesSync(file, new Date(0), new Date(0));
  await p.build();
  assert.equal(files.map((file) => fs.statSync(file).mtimeMs), [0, 0]);
  assert.equal(files.map((file) => fs.readFileSync(file)), before);
});

test('a group rebuilt after a change reuses the cached transform of a module whose source did not change', async () => {
  const p = project();
  await p.build();
  tamperWithWords(p.cacheDir);
  fs.writeFileSync(path.join(p.dir, 'src', 'greet.ts'), GREET.replace("'hello '", "'good day '"));
  const warm = await p.build();
  // Counter's module is as it was, but its group was rebuilt: words.ts came from rollup's cache.
  assert.ok(indexOf(p.outDir, warm, 'Counter.count').includes('(from the cache)'));
});

test('a module whose source changed is transformed again: the archive has the new code', async () => {
  const p = project();
  await p.build();
  tamperWithWords(p.cacheDir);
  fs.writeFileSync(path.join(p.dir, 'src', 'words.ts'), WORDS.replace("'!'", "'!!'"));
  const warm = await p.build();
  const code = indexOf(p.outDir, warm, 'Counter.count');
  assert.not.ok(code.includes('(from the cache)'));
  assert.ok(code.includes("'!!'"));
});

test('a changed lockfile starts a new cache: nothing of the old one is used, and the old file is removed', async () => {
  const p = project();
  await p.build();
  const oldKey = storedKey(p.cacheDir);
  tamperWithWords(p.cacheDir);
  fs.writeFileSync(path.join(p.dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
  const warm = await p.build();
  assert.not.ok(indexOf(p.outDir, warm, 'Greeter.greet').includes('(from the cache)'));
  assert.is.not(storedKey(p.cacheDir), oldKey);
});

/** One flipped byte in the middle of a stored file. */
function damage(file: string): void {
  const data = fs.readFileSync(file);
  data[Math.floor(data.length / 2)] ^= 0xff;
  fs.writeFileSync(file, data);
}

test('a damaged rollup cache is rebuilt, not trusted: the archives a cold build writes, and a readable cache after', async () => {
  const p = project();
  await p.build();
  const key = storedKey(p.cacheDir);
  damage(path.join(p.cacheDir, `rollup-${key}.bin`));
  assert.is(readCache(p.cacheDir, key), undefined);
  // A change, so that the group is built again and reads its rollup cache.
  fs.writeFileSync(path.join(p.dir, 'src', 'greet.ts'), GREET.replace("'hello '", "'good day '"));
  const warm = archiveBytes(p.outDir, await p.build());
  assert.ok(readCache(p.cacheDir, key)?.modules?.length);
  fs.rmSync(p.outDir, { recursive: true });
  assert.equal(warm, archiveBytes(p.outDir, await p.build()));
});

test('damaged stored outputs are not trusted: the group is built again, as a cold build writes it, and stored anew', async () => {
  const p = project();
  const cold = archiveBytes(p.outDir, await p.build());
  const key = storedKey(p.cacheDir);
  const file = path.join(p.cacheDir, `outputs-${key}.bin`);
  damage(file);
  assert.is(readOutputs(p.cacheDir, key), undefined);
  const warm = archiveBytes(p.outDir, await p.build());
  assert.equal(warm, cold);
  assert.equal(readOutputs(p.cacheDir, key)?.bundles.map((b) => b.functionId).sort(), ['Counter.count', 'Greeter.greet']);
});

test('after a file is added to the project, the project\'s modules are transformed again: rollup keeps a cached module\'s resolutions', async () => {
  const p = project();
  await p.build();
  tamperWithWords(p.cacheDir);
  fs.writeFileSync(path.join(p.dir, 'src', 'greet.ts'), GREET.replace("'hello '", "'good day '"));
  fs.writeFileSync(path.join(p.dir, 'notes.txt'), 'a new file\n');
  const warm = await p.build();
  assert.not.ok(indexOf(p.outDir, warm, 'Counter.count').includes('(from the cache)'));
});

test('a cache file cut short or of another format reads as none', () => {
  const p = project();
  const key = 'a'.repeat(32);
  writeCache(p.cacheDir, key, { modules: [{ id: '/x.ts', code: 'export {}', originalCode: 'export {}' } as never] });
  const file = path.join(p.cacheDir, `rollup-${key}.bin`);
  assert.is(readCache(p.cacheDir, key)?.modules?.length, 1);
  fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 30));
  assert.is(readCache(p.cacheDir, key), undefined);
  fs.writeFileSync(file, JSON.stringify({ modules: [] }));
  assert.is(readCache(p.cacheDir, key), undefined);
});

test('the key changes with the compiler options, the bundle options and the lockfile, and with nothing else', () => {
  const p = project();
  const inputs = { projectDir: p.dir, compilerOptions: { target: 9 }, bundle: { sourcemap: false } };
  const key = cacheKey(inputs);
  assert.is(cacheKey({ ...inputs }), key);
  assert.is.not(cacheKey({ ...inputs, compilerOptions: { target: 9, experimentalDecorators: true } }), key);
  assert.is.not(cacheKey({ ...inputs, bundle: { sourcemap: true } }), key);
  fs.writeFileSync(path.join(p.dir, 'src', 'words.ts'), WORDS.replace('!', '?'));
  assert.is(cacheKey(inputs), key, 'a source change is rollup\'s to see, module by module');
  fs.appendFileSync(path.join(p.dir, 'package-lock.json'), '\n');
  assert.is.not(cacheKey(inputs), key);
});

test.run();
