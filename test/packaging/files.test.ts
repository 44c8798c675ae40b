import AdmZip from 'adm-zip';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isBundlePath } from '../../manifest/files';
import { assetPath } from '../../runtime/assets';
import { runCli } from '../helpers/cli';
import { withEnv } from '../helpers/env';
import { writeProject } from '../helpers/handmade';
import { setup } from '../helpers/setup';

// @Lambda/@Service({ files }): project files read at run time ship in the archive at their relative paths, and
// assetPath() finds them where the archive is unpacked (LAMBDA_TASK_ROOT), as Lambda, invoke and serve do.

const SOURCE = `import * as fs from 'node:fs';
import { assetPath, Lambda, Service } from 'sparta';
@Service({ name: 'pages', files: ['config/*.json'] })
export class Pages {
  @Lambda({ files: ['templates/**/*.html'] })
  render() {
    const page = fs.readFileSync(assetPath('templates/page.html'), 'utf8');
    const config = JSON.parse(fs.readFileSync(assetPath('config/site.json'), 'utf8'));
    return page.replace('{{title}}', config.title);
  }
  @Lambda()
  settings() {
    return JSON.parse(fs.readFileSync(assetPath('config/site.json'), 'utf8'));
  }
}
`;

interface Built {
  root: string;
  out: string;
  project: string;
}

function archiveOf(out: string, functionId: string): { entries: string[]; sha256: string; zip: AdmZip } {
  const report = JSON.parse(fs.readFileSync(path.join(out, 'pages', 'build.json'), 'utf8')) as { functions: Array<{ functionId: string; archive: string; sha256: string }> };
  const artifact = report.functions.find((fn) => fn.functionId === functionId)!;
  const zip = new AdmZip(path.resolve(out, 'pages', artifact.archive));
  return { entries: zip.getEntries().map((entry) => entry.entryName).sort(), sha256: artifact.sha256, zip };
}

async function build(context: Built): Promise<void> {
  const run = await runCli(['build', '--project', context.project, '--out', context.out]);
  assert.is(run.code, 0, run.stderr);
}

const files = suite<Built>('files in the archive');
setup(files, async (context) => {
  context.root = writeProject({
    'src/service.ts': SOURCE,
    'templates/page.html': '<h1>{{title}}</h1>\n',
    'templates/mail/welcome.html': '<p>welcome</p>\n',
    'templates/notes.txt': 'not a template\n',
    'config/site.json': '{ "title": "Sparta" }\n',
  });
  context.project = path.join(context.root, 'tsconfig.json');
  context.out = path.join(context.root, '.sparta');
  await build(context);
});
files.after((context) => fs.rmSync(context.root, { recursive: true, force: true }));

files("a function's globs and its service's are copied at their relative paths, and nothing else of the project", (context) => {
  const { entries } = archiveOf(context.out, 'Pages.render');
  const shipped = entries.filter((entry) => !entry.startsWith('chunks/') && entry !== 'index.js');
  assert.equal(shipped, ['config/site.json', 'templates/mail/welcome.html', 'templates/page.html']);
  assert.is(archiveOf(context.out, 'Pages.render').zip.readAsText('templates/page.html'), '<h1>{{title}}</h1>\n');
});

files("a function without files of its own gets only its service's", (context) => {
  const { entries } = archiveOf(context.out, 'Pages.settings');
  assert.equal(entries.filter((entry) => !entry.startsWith('chunks/') && entry !== 'index.js'), ['config/site.json']);
});

files('assetPath finds the files under sparta invoke', async (context) => {
  const run = await runCli(['invoke', 'Pages.render', '--no-build', '--project', context.project, '--out', context.out]);
  assert.is(run.code, 0, run.stderr);
  assert.is(JSON.parse(run.stdout), '<h1>Sparta</h1>\n');
});

files("a change to a matched file is a new archive; a change to a file no glob matches is not", async (context) => {
  const before = { render: archiveOf(context.out, 'Pages.render').sha256, settings: archiveOf(context.out, 'Pages.settings').sha256 };
  fs.writeFileSync(path.join(context.root, 'templates/notes.txt'), 'still not a template\n');
  await build(context);
  assert.is(archiveOf(context.out, 'Pages.render').sha256, before.render);
  fs.writeFileSync(path.join(context.root, 'templates/page.html'), '<h2>{{title}}</h2>\n');
  await build(context);
  assert.is.not(archiveOf(context.out, 'Pages.render').sha256, before.render);
  assert.is(archiveOf(context.out, 'Pages.settings').sha256, before.settings, 'settings ships no template');
  assert.is(archiveOf(context.out, 'Pages.render').zip.readAsText('templates/page.html'), '<h2>{{title}}</h2>\n');
});

files("every entry of an archive without files is a path isBundlePath reserves (so SPARTA054 guards the right names)", (context) => {
  const { entries } = archiveOf(context.out, 'Pages.settings');
  const code = entries.filter((entry) => entry !== 'config/site.json');
  assert.ok(code.includes('index.js'));
  assert.equal(code.filter((entry) => !isBundlePath(entry)), []);
});

files.run();

const diagnostics = suite('files diagnostics');

async function explainFailure(source: string, extra: Record<string, string> = {}): Promise<string> {
  const root = writeProject({ 'src/service.ts': source, ...extra });
  try {
    const run = await runCli(['explain', '--project', path.join(root, 'tsconfig.json')]);
    assert.is(run.code, 1, run.stdout);
    return run.stderr;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

diagnostics('a glob that matches no file is SPARTA051 at the files option', async () => {
  const stderr = await explainFailure(`import { Lambda, Service } from 'sparta';
@Service({ name: 'pages' })
export class Pages {
  @Lambda({ files: ['templates/*.html'] })
  render() { return 1; }
}
`, { 'templates/page.htm': 'close, but not .html' });
  assert.match(stderr, /src\/service\.ts:4:\d+/);
  assert.match(stderr, /SPARTA051/);
  assert.match(stderr, /pattern "templates\/\*\.html" matches no file of the project/);
});

diagnostics("files under node_modules are never matched: SPARTA051 on @Service", async () => {
  const stderr = await explainFailure(`import { Lambda, Service } from 'sparta';
@Service({ name: 'pages', files: ['node_modules/sparta/package.json'] })
export class Pages {
  @Lambda()
  render() { return 1; }
}
`);
  assert.match(stderr, /src\/service\.ts:2:\d+/);
  assert.match(stderr, /SPARTA051/);
});

diagnostics('a glob that climbs out of the project is SPARTA052', async () => {
  const stderr = await explainFailure(`import { Lambda, Service } from 'sparta';
@Service({ name: 'pages' })
export class Pages {
  @Lambda({ files: ['../secrets/*.pem'] })
  render() { return 1; }
}
`);
  assert.match(stderr, /src\/service\.ts:4:\d+/);
  assert.match(stderr, /SPARTA052/);
  assert.match(stderr, /pattern "\.\.\/secrets\/\*\.pem" climbs out of the project folder/);
});

diagnostics('an absolute glob is SPARTA052', async () => {
  const stderr = await explainFailure(`import { Lambda, Service } from 'sparta';
@Service({ name: 'pages' })
export class Pages {
  @Lambda({ files: ['/etc/*.conf'] })
  render() { return 1; }
}
`);
  assert.match(stderr, /SPARTA052/);
  assert.match(stderr, /pattern "\/etc\/\*\.conf" is absolute/);
});

diagnostics("a glob that matches a file where the bundle goes (chunks/, index.js) is SPARTA054", async () => {
  const stderr = await explainFailure(`import { Lambda, Service } from 'sparta';
@Service({ name: 'pages' })
export class Pages {
  @Lambda({ files: ['chunks/*.txt'] })
  render() { return 1; }
}
`, { 'chunks/notes.txt': 'would sit among the bundle chunks' });
  assert.match(stderr, /src\/service\.ts:4:\d+/);
  assert.match(stderr, /SPARTA054/);
  assert.match(stderr, /pattern "chunks\/\*\.txt" matches chunks\/notes\.txt, where the archive holds the function's bundle/);
});

diagnostics("a glob that matches index.mjs, where an ES module function's entry goes, is SPARTA054 for a CommonJS function too", async () => {
  const stderr = await explainFailure(`import { Lambda, Service } from 'sparta';
@Service({ name: 'pages' })
export class Pages {
  @Lambda({ files: ['*.mjs'] })
  render() { return 1; }
}
`, { 'index.mjs': 'export const stray = 1;\n' });
  assert.match(stderr, /src\/service\.ts:4:\d+/);
  assert.match(stderr, /SPARTA054/);
  assert.match(stderr, /pattern "\*\.mjs" matches index\.mjs, where the archive holds the function's bundle/);
});

diagnostics.run();

const asset = suite('assetPath');

asset('joins the path to LAMBDA_TASK_ROOT, where the archive is unpacked', async () => {
  await withEnv({ LAMBDA_TASK_ROOT: '/var/task' }, () => assert.is(assetPath('templates/page.html'), path.join('/var/task', 'templates', 'page.html')));
});

asset('without LAMBDA_TASK_ROOT (code run from the project folder) it is the working directory', async () => {
  await withEnv({ LAMBDA_TASK_ROOT: undefined }, () => assert.is(assetPath('config/site.json'), path.join(process.cwd(), 'config', 'site.json')));
});

asset('a path that leaves the archive root is refused', () => {
  assert.throws(() => assetPath('../etc/passwd'), /relative to the project folder/);
  assert.throws(() => assetPath('/etc/passwd'), /relative to the project folder/);
  assert.throws(() => assetPath('templates/../../x'), /relative to the project folder/);
});

asset.run();
