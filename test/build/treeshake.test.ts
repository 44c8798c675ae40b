import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { invokeArchive } from '../../cli/invoke';
import { buildService } from '../../cli/package';
import { analyzeProject } from '../../transformer/analyze';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';
import { readArchive } from './fixture';

// Bundling must not change what a function does. Rollup counts an endless loop
// as free of side effects and used to empty `spin() { while (true) {} }`: the
// bundled function then returned at once instead of running into its timeout.

const SOURCE = `import { Lambda, Service } from 'sparta';

@Service({ name: 'spinner' })
export class Spinner {
  @Lambda({ timeout: 1 })
  spin() {
    while (true) {}
  }
}
`;

function spinnerProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-treeshake-'));
  fs.copyFileSync(path.join(FIXTURES, 'build-service', 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'src', 'spinner.ts'), SOURCE);
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'sparta'), 'dir');
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
  return dir;
}

test('an endless loop survives bundling: the built spin() runs into its timeout', async () => {
  const projectDir = spinnerProject();
  try {
    const tsconfigPath = path.join(projectDir, 'tsconfig.json');
    const service = analyzeProject(tsconfigPath).manifest!.services[0];
    const outDir = path.join(projectDir, '.sparta');
    const [artifact] = await buildService({ projectDir, tsconfigPath, service, outDir });
    const archive = path.join(outDir, artifact.archive);
    const outcome = await invokeArchive({ archive, handler: artifact.handler, event: {}, timeoutSeconds: 1, memorySize: 128, functionName: 'spinner-Spinner-spin' });
    assert.is(outcome.status, 'timed-out');
    const code = [...readArchive(archive).values()].join('\n');
    assert.match(code, /while \(true\)/);
  } finally {
    fs.rmSync(projectDir, { recursive: true, force: true });
  }
});

test.run();
