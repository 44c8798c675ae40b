import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildService, writeBuildReport } from '../../cli/package';
import { copyFixture, fixtureService } from './fixture';

async function hashes(projectDir: string): Promise<Record<string, string>> {
  const outDir = path.join(projectDir, '.sparta');
  const artifacts = await buildService({ projectDir, tsconfigPath: path.join(projectDir, 'tsconfig.json'), service: fixtureService(), outDir });
  // Writing the outputs is what retires the previous build's archives.
  writeBuildReport(path.join(outDir, 'build-fixture'), artifacts);
  return Object.fromEntries(artifacts.map((a) => [a.functionId, a.sha256]));
}

function edit(projectDir: string, file: string, from: string, to: string): void {
  const full = path.join(projectDir, file);
  const text = fs.readFileSync(full, 'utf8');
  assert.ok(text.includes(from), `${file} should contain ${from}`);
  fs.writeFileSync(full, text.replace(from, to));
}

const changed = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((id) => a[id] !== b[id]).sort();

test("changing one module changes only the archives of the functions that include it", async () => {
  const projectDir = copyFixture();
  const first = await hashes(projectDir);

  edit(projectDir, 'src/greeting.ts', 'Hello, ', 'Hi, ');
  const second = await hashes(projectDir);
  assert.equal(changed(first, second), ['Greeter.fail', 'Greeter.hello', 'Greeter.later']);

  edit(projectDir, 'src/heavy.ts', "'heavy-module-marker-7f3a'", "'heavy-module-marker-8b4c'");
  const third = await hashes(projectDir);
  assert.equal(changed(second, third), ['Reporter.report']);

  // Only the current archives stay: one a function.
  const archives = fs.readdirSync(path.join(projectDir, '.sparta', 'build-fixture')).filter((name) => name.endsWith('.zip')).sort();
  assert.equal(archives, Object.entries(third).map(([id, sha]) => `${id}-${sha.slice(0, 16)}.zip`).sort());
});

test.run();
