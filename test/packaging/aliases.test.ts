import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { writeProject } from '../helpers/handmade';

// The bundle resolves imports as the compiler does: `paths` aliases and
// `rootDirs` merges that type-check also build, and the built archive runs.

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: true, experimentalDecorators: true,
    outDir: 'dist', types: ['node'],
    paths: { '@lib/*': ['./src/lib/*'] },
    rootDirs: ['src', 'generated'],
  },
  include: ['src', 'generated'],
};

const root = writeProject({
  'tsconfig.json': JSON.stringify(TSCONFIG),
  'src/lib/greet.ts': 'export const greet = (name: string) => `Hello, ${name}`;\n',
  // Beside src/ on disk, but in src/ for the compiler (rootDirs): `./version` from src/service.ts.
  'generated/version.ts': "export const VERSION = 'v7';\n",
  'src/service.ts': [
    "import { Lambda, Service } from 'sparta';",
    "import { greet } from '@lib/greet';",
    "import { VERSION } from './version';",
    "@Service({ name: 'aliases' })",
    'export class Aliases {',
    '  @Lambda()',
    '  hello() { return { message: greet(VERSION) }; }',
    '}',
    '',
  ].join('\n'),
});
const project = path.join(root, 'tsconfig.json');
const out = path.join(root, '.sparta');

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test('explain and build both resolve a `paths` alias and a `rootDirs` import; the archive runs under invoke', async () => {
  const explain = await runCli(['explain', '--project', project]);
  assert.is(explain.code, 0, explain.stderr);
  const build = await runCli(['build', '--project', project, '--out', out]);
  assert.is(build.code, 0, build.stderr);
  const run = await runCli(['invoke', 'hello', '--project', project, '--out', out]);
  assert.is(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), { message: 'Hello, v7' });
});

test.run();
