import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bundleGroups } from '../../cli/bundle/groups';
import { buildService } from '../../cli/package';
import type { FunctionArtifact, FunctionManifest } from '../../manifest/types';
import { analyzeProject } from '../../transformer/analyze';
import { readArchive, smallProject } from '../build/fixture';

// Functions are bundled in groups of those that import the same packages
// (cli/bundle/groups.ts), each group its own rollup build with its own cache:
// a change to one function rebuilds its group and reuses the others' archives.

/** A package of the project's node_modules, one ES module. */
const TINY_PACKAGE = {
  'node_modules/tiny-pkg/package.json': JSON.stringify({ name: 'tiny-pkg', version: '1.0.0', type: 'module', main: 'index.js' }),
  'node_modules/tiny-pkg/index.js': 'export function pad(text) { return "[" + text + "]"; }\n',
  'node_modules/tiny-pkg/index.d.ts': 'export declare function pad(text: string): string;\n',
};

function fn(id: string, file: string, options: FunctionManifest['options'] = {}): FunctionManifest {
  return { id, source: { file }, options } as FunctionManifest;
}

test('functions are grouped by the packages they reach through the project\'s modules, external ones left out', () => {
  const tsconfigPath = smallProject({
    ...TINY_PACKAGE,
    'src/plain.ts': "import { join } from 'node:path';\nimport { words } from './words.js';\nexport const plain = join(words, 'x');\n",
    'src/words.ts': "export const words = 'words';\n",
    'src/through.ts': "import { padded } from './helpers.js';\nexport const through = padded;\n",
    'src/helpers.ts': "import { pad } from 'tiny-pkg';\nexport const padded = pad('x');\n",
    'src/direct.ts': "import { pad } from 'tiny-pkg';\nimport { S3Client } from '@aws-sdk/client-s3';\nexport const direct = [pad, S3Client];\n",
    'src/sdk.ts': "import { S3Client } from '@aws-sdk/client-s3';\nexport const sdk = S3Client;\n",
  });
  const projectDir = path.dirname(tsconfigPath);
  const functions = [fn('Plain.a', 'src/plain.ts'), fn('Through.b', 'src/through.ts'), fn('Direct.c', 'src/direct.ts'), fn('Sdk.d', 'src/sdk.ts')];
  const groups = bundleGroups(functions, {
    projectDir,
    compilerOptions: { module: 199 /* NodeNext */, moduleResolution: 99 /* NodeNext */ },
    isExternal: (specifier) => specifier.startsWith('node:') || specifier.startsWith('@aws-sdk/'),
  });
  assert.equal(groups.map((g) => [g.packages, g.functions.map((f) => f.id)]), [
    [[], ['Plain.a', 'Sdk.d']],
    [['tiny-pkg'], ['Through.b', 'Direct.c']],
  ]);
  assert.is.not(groups[0]!.id, groups[1]!.id);
});

test('functions of the two formats never share a group, and a CommonJS group keeps the id it had before formats', () => {
  const tsconfigPath = smallProject({ ...TINY_PACKAGE, 'src/a.ts': "import { pad } from 'tiny-pkg';\nexport const a = pad;\n", 'src/b.ts': "import { pad } from 'tiny-pkg';\nexport const b = pad;\n" });
  const groups = bundleGroups([fn('A.a', 'src/a.ts', { format: 'esm' }), fn('B.b', 'src/b.ts')], {
    projectDir: path.dirname(tsconfigPath),
    compilerOptions: { module: 199 /* NodeNext */, moduleResolution: 99 /* NodeNext */ },
    isExternal: (specifier) => specifier.startsWith('node:'),
  });
  assert.equal(groups.map((g) => [g.format, g.packages, g.functions.map((f) => f.id)]), [
    ['cjs', ['tiny-pkg'], ['B.b']],
    ['esm', ['tiny-pkg'], ['A.a']],
  ]);
  // The first 12 hex of sha256("tiny-pkg") (by `printf tiny-pkg | sha256sum`), as the id was before formats existed.
  assert.is(groups[0]!.id, 'f4f9439bbd94');
});

const PLAIN = `import { Lambda, Service } from 'sparta';

@Service({ name: 'grouped' })
export class Plain {
  @Lambda()
  async hello(event: { name: string }) {
    return 'hello ' + event.name;
  }
}
`;

const PADDED = `import { Lambda, Service } from 'sparta';
import { pad } from 'tiny-pkg';

@Service({ name: 'grouped' })
export class Padded {
  @Lambda()
  async pad(event: { name: string }) {
    return pad(event.name);
  }
}
`;

interface Project {
  dir: string;
  outDir: string;
  cacheDir: string;
  build(onWarning?: (message: string) => void): Promise<FunctionArtifact[]>;
}

function project(files: Record<string, string> = {}): Project {
  const tsconfigPath = smallProject({ ...TINY_PACKAGE, 'src/plain.ts': PLAIN, 'src/padded.ts': PADDED, 'package-lock.json': '{"lockfileVersion":3}\n', ...files });
  const dir = path.dirname(tsconfigPath);
  const outDir = path.join(dir, 'out');
  return {
    dir,
    outDir,
    cacheDir: path.join(outDir, 'cache', 'grouped'),
    async build(onWarning) {
      const analysis = analyzeProject(tsconfigPath);
      if (!analysis.manifest) throw new Error(`the project does not analyse: ${JSON.stringify(analysis.diagnostics)}`);
      return buildService({ projectDir: dir, tsconfigPath, service: analysis.manifest.services[0]!, outDir, onWarning });
    },
  };
}

function archiveBytes(outDir: string, artifacts: FunctionArtifact[]): Map<string, Buffer> {
  return new Map(artifacts.map((a) => [a.functionId, fs.readFileSync(path.join(outDir, a.archive))]));
}

/** The cache's files by name, with their modification times. */
function cacheFiles(cacheDir: string): Map<string, number> {
  return new Map(fs.readdirSync(cacheDir).sort().map((name) => [name, fs.statSync(path.join(cacheDir, name)).mtimeMs]));
}

test('each group keeps its own rollup cache and outputs: two groups, four files', async () => {
  const p = project();
  await p.build();
  const names = [...cacheFiles(p.cacheDir).keys()];
  assert.is(names.length, 4);
  assert.is(names.filter((name) => name.startsWith('rollup-')).length, 2);
  assert.is(names.filter((name) => name.startsWith('outputs-')).length, 2);
});

test('a change to a function rebuilds its group alone: the other group\'s files are not rewritten, its archive is the same', async () => {
  const p = project();
  const first = archiveBytes(p.outDir, await p.build());
  for (const name of fs.readdirSync(p.cacheDir)) fs.utimesSync(path.join(p.cacheDir, name), new Date(0), new Date(0));
  fs.writeFileSync(path.join(p.dir, 'src', 'plain.ts'), PLAIN.replace("'hello '", "'good day '"));
  const second = archiveBytes(p.outDir, await p.build());
  const touched = [...cacheFiles(p.cacheDir)].filter(([, mtime]) => mtime !== 0).map(([name]) => name.replace(/-[0-9a-f]+\.bin$/, ''));
  assert.equal(touched.sort(), ['outputs', 'rollup'], 'the changed group\'s two files, and only they, written again');
  assert.equal(second.get('Padded.pad'), first.get('Padded.pad'));
  assert.not.equal(second.get('Plain.hello'), first.get('Plain.hello'));
});

test('after a change to one group, the archives are those a cold build of the changed project writes', async () => {
  const p = project();
  await p.build();
  fs.writeFileSync(path.join(p.dir, 'src', 'plain.ts'), PLAIN.replace("'hello '", "'good day '"));
  const warm = archiveBytes(p.outDir, await p.build());
  fs.rmSync(p.outDir, { recursive: true });
  const cold = archiveBytes(p.outDir, await p.build());
  assert.equal(warm, cold);
});

test('a function that starts importing a package moves to that package\'s group, and its archive has the package\'s code', async () => {
  const p = project();
  await p.build();
  fs.writeFileSync(path.join(p.dir, 'src', 'plain.ts'), PLAIN.replace("import { Lambda", "import { pad } from 'tiny-pkg';\nimport { Lambda").replace("'hello ' + event.name", "pad('hello ' + event.name)"));
  const artifacts = await p.build();
  const rollupFiles = [...cacheFiles(p.cacheDir).keys()].filter((name) => name.startsWith('rollup-'));
  assert.is(rollupFiles.length, 1, 'one group left, the empty one\'s files removed');
  const bytes = archiveBytes(p.outDir, artifacts);
  fs.rmSync(p.outDir, { recursive: true });
  assert.equal(archiveBytes(p.outDir, await p.build()), bytes);
});

test('a file added where an unchanged import now resolves makes its group build again', async () => {
  const p = project({
    'src/plain.ts': PLAIN.replace("import { Lambda", "// @ts-ignore: plain JavaScript\nimport { word } from './word';\nimport { Lambda").replace("'hello '", "word"),
    'src/word.js': "export const word = 'from js ';\n",
  });
  const first = archiveBytes(p.outDir, await p.build());
  // Rollup tries .mjs before .js: no module's text changes, yet './word' is now another file.
  fs.writeFileSync(path.join(p.dir, 'src', 'word.mjs'), "export const word = 'from mjs ';\n");
  const second = await p.build();
  const index = [...readArchive(path.join(p.outDir, second.find((a) => a.functionId === 'Plain.hello')!.archive)).values()].join('\n');
  assert.ok(index.includes('from mjs'), 'the new file is bundled');
  assert.equal(archiveBytes(p.outDir, second).get('Padded.pad'), first.get('Padded.pad'));
});

test('a reused group says its warnings again', async () => {
  // Direct eval in the project's own code is a warning rollup gives for that module.
  const p = project({ 'src/padded.ts': PADDED.replace('return pad(event.name);', "return pad(eval('event.name'));") });
  const first: string[] = [];
  await p.build((message) => first.push(message));
  fs.writeFileSync(path.join(p.dir, 'src', 'plain.ts'), PLAIN.replace("'hello '", "'good day '"));
  const second: string[] = [];
  await p.build((message) => second.push(message));
  assert.ok(first.some((message) => message.includes('eval')), `the first build warns of eval: ${JSON.stringify(first)}`);
  assert.equal(second, first);
});

test.run();
