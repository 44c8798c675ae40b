import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pipelineBuild, serve, type ServeHandle } from '../../cli/serve';
import { writeProject } from '../helpers/handmade';
import { setup } from '../helpers/setup';
import { collector } from '../serve/support';

// assetPath under `sparta serve`: the route's function reads a `files` match from where serve unpacked its archive.

let root: string;
let handle: ServeHandle | undefined;

setup(test, async () => {
  root = writeProject({
    'src/service.ts': `import * as fs from 'node:fs';
import { assetPath, Http, Lambda, Service } from 'sparta';
@Service({ name: 'pages' })
export class Pages {
  @Lambda({ files: ['templates/*.html'] })
  @Http('GET /page')
  page() {
    return { statusCode: 200, headers: { 'content-type': 'text/html' }, body: fs.readFileSync(assetPath('templates/page.html'), 'utf8') };
  }
}
`,
    'templates/page.html': '<h1>served from the archive</h1>\n',
  });
  handle = await serve({ host: '127.0.0.1', port: 0, build: pipelineBuild({ tsconfigPath: path.join(root, 'tsconfig.json'), typecheck: false }), logs: collector() });
});

test.after(async () => {
  await handle?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a GET reads the template through assetPath from the unpacked archive', async () => {
  // Gone from the project folder: only the archive's copy can answer.
  fs.rmSync(path.join(root, 'templates'), { recursive: true, force: true });
  const response = await fetch(`${handle!.url}/page`);
  assert.is(response.status, 200);
  assert.is(await response.text(), '<h1>served from the archive</h1>\n');
});

test.run();
