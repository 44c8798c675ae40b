import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bundleFunctions } from '../../cli/bundle';
import { analyzeProject } from '../../transformer/analyze';
import { smallProject } from '../build/fixture';

// The bundle resolves symlinks itself (cli/bundle/resolve.ts, realPaths) rather
// than through rollup: a linked package (npm link, workspaces) must still find
// its own dependencies beside its real folder, as node finds them, and one file
// reached through two links is one module.

const SERVICE = `import { Lambda, Service } from 'sparta';
import { label } from 'linked-lib';
import { label as again } from 'linked-alias';

@Service({ name: 'links' })
export class Links {
  @Lambda()
  async name() {
    return label() + again();
  }
}
`;

/** A package outside the project, linked into its node_modules under two names, with a dependency of its own. */
function linkedProject(): { dir: string; tsconfigPath: string } {
  const tsconfigPath = smallProject({ 'src/links.ts': SERVICE });
  const dir = path.dirname(tsconfigPath);
  const lib = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-linked-'));
  fs.writeFileSync(path.join(lib, 'package.json'), JSON.stringify({ name: 'linked-lib', version: '1.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(lib, 'index.js'), "const { word } = require('only-beside-lib');\nlet calls = 0;\nexports.label = () => `${word}-${++calls}`;\n");
  fs.mkdirSync(path.join(lib, 'node_modules', 'only-beside-lib'), { recursive: true });
  fs.writeFileSync(path.join(lib, 'node_modules', 'only-beside-lib', 'package.json'), JSON.stringify({ name: 'only-beside-lib', version: '1.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(lib, 'node_modules', 'only-beside-lib', 'index.js'), "exports.word = 'linked';\n");
  fs.symlinkSync(lib, path.join(dir, 'node_modules', 'linked-lib'), 'dir');
  fs.symlinkSync(lib, path.join(dir, 'node_modules', 'linked-alias'), 'dir');
  fs.writeFileSync(path.join(dir, 'src', 'types.d.ts'), "declare module 'linked-lib' { export function label(): string; }\ndeclare module 'linked-alias' { export function label(): string; }\n");
  return { dir, tsconfigPath };
}

test('a linked package finds its own dependencies, and one file reached by two links is bundled once', async () => {
  const { dir, tsconfigPath } = linkedProject();
  const manifest = analyzeProject(tsconfigPath).manifest;
  assert.ok(manifest, 'the project analyses');
  const [bundle] = await bundleFunctions({ projectDir: dir, tsconfigPath, functions: manifest!.services[0]!.functions, bundleAwsSdk: false });
  const code = bundle!.files.map((f) => f.contents.toString('utf8')).join('\n');
  assert.ok(code.includes("'linked'"), 'only-beside-lib is bundled');
  // One module: its counter (`calls`) appears once, not once a link.
  assert.is(code.match(/let calls = 0/g)?.length, 1);
});

test.run();
