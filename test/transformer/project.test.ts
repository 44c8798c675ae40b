import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorCode } from '../../cli/errors';
import { loadProjectManifest } from '../../cli/project';
import { spartaFailure } from '../helpers/errors';
import { CLI_BIN, REPO_ROOT } from '../helpers/paths';

// cli/project.ts turns the analysis of a real tsconfig on disk into the
// manifest, an error that says what is wrong, or warnings on the side.

const test = suite('project: loading the manifest');

const SERVICE = "import { Service, Lambda, Privilege } from 'sparta';\n@Service({ name: 'svc' })\nexport class A {\n  @Lambda()\n  @Privilege({ actions: 's3:*', resource: '*' })\n  run() {}\n}\n";

function withProject(tsconfig: string, source: string, check: (tsconfigPath: string) => Promise<void> | void): () => Promise<void> {
  return async () => {
    const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test', 'fixtures', '.tmp-project-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), tsconfig);
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), source);
      await check(path.join(dir, 'tsconfig.json'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

const GOOD = JSON.stringify({ compilerOptions: { experimentalDecorators: true, module: 'node16', strict: true, types: [] }, include: ['src'] });

test(
  'a tsconfig with a syntax error is SPARTA107 naming the file and line',
  withProject('{\n  "compilerOptions": { "experimentalDecorators": true,, "module": "node16" }\n  "include": ["src"]\n}\n', SERVICE, async (tsconfig) => {
    const error = await spartaFailure(() => loadProjectManifest(tsconfig, { onWarning: () => {} }));
    assert.is(error.code, ErrorCode.TSCONFIG_INVALID);
    assert.match(error.message, /tsconfig\.json:2:\d+ - Property assignment expected/);
    assert.match(error.message, /tsconfig\.json:3:\d+ - ',' expected/);
  }),
);

test(
  "a tsconfig whose module resolution cannot find 'sparta' says so (SPARTA021), not that there is no service",
  withProject(
    JSON.stringify({ compilerOptions: { experimentalDecorators: true, module: 'es2022', moduleResolution: 'classic', types: [] }, include: ['src'] }),
    SERVICE,
    async (tsconfig) => {
      const error = await spartaFailure(() => loadProjectManifest(tsconfig, { onWarning: () => {} }));
      assert.is(error.code, ErrorCode.MANIFEST_INVALID);
      assert.match(error.message, /src\/a\.ts:1:\d+ - error SPARTA021: module 'sparta' cannot be found/);
    },
  ),
);

test(
  'a warning reaches onWarning as file:line and the manifest is still produced',
  withProject(GOOD, SERVICE, (tsconfig) => {
    const warnings: string[] = [];
    const project = loadProjectManifest(tsconfig, { onWarning: (text) => warnings.push(text) });
    assert.is(project.manifest.services[0].functions.length, 1);
    assert.is(warnings.length, 1);
    assert.match(warnings[0], /^src\/a\.ts:5:\d+ - warning SPARTA026: /);
    assert.equal(project.warnings.map((w) => w.code), ['SPARTA026']);
  }),
);

test(
  'explain --format json: the warning goes to stderr, stdout holds only the manifest',
  withProject(GOOD, SERVICE, (tsconfig) => {
    const run = spawnSync(process.execPath, [CLI_BIN, 'explain', '--format', 'json', '--project', tsconfig], { encoding: 'utf8' });
    assert.is(run.status, 0, run.stderr);
    assert.is(JSON.parse(run.stdout).services[0].functions[0].id, 'A.run');
    assert.match(run.stderr, /src\/a\.ts:5:\d+ - warning SPARTA026: @Privilege grants `s3:\*` on every resource/);
  }),
);

test(
  'under tspc a warning goes to stderr: the compile succeeds and the manifest is written',
  withProject(
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'node16', strict: true, skipLibCheck: true, experimentalDecorators: true, types: [], rootDir: 'src', outDir: 'dist', plugins: [{ transform: 'sparta/transformer' }] },
      include: ['src'],
    }),
    SERVICE,
    (tsconfig) => {
      const tspc = path.join(REPO_ROOT, 'node_modules', 'ts-patch', 'bin', 'tspc.js');
      const run = spawnSync(process.execPath, [tspc, '-p', tsconfig], { encoding: 'utf8' });
      assert.is(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stderr, /src\/a\.ts:5:\d+ - warning SPARTA026: @Privilege grants `s3:\*` on every resource/);
      const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(tsconfig), 'sparta.manifest.json'), 'utf8'));
      assert.is(manifest.services[0].functions[0].id, 'A.run');
    },
  ),
);

test.run();
