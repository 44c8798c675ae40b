import AdmZip from 'adm-zip';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { expectLintClean } from '../helpers/cfn-lint';
import { runCli } from '../helpers/cli';
import { writeProject } from '../helpers/handmade';
import { expectOneAt, lineOf, serviceOf, templateOf } from '../sources/support';

// @Lambda({ layers, external }) and @Service({ external }): the function's Layers, and packages a layer provides
// left out of the bundle.

const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:shared-libs:3';

const withLayers = (layers: string) => `@Service({ name: 'svc' })
@Resource('Libs', { Type: 'AWS::Lambda::LayerVersion', Properties: { Content: { S3Bucket: 'layer-sources', S3Key: 'libs.zip' }, CompatibleRuntimes: ['nodejs24.x'] } })
export class A {
  @Lambda({ layers: ${layers} })
  run() {}
}`;

test('layers become the function\'s Layers, an ARN and a Ref to a layer of the stack in order; the template lints clean', async () => {
  const body = withLayers(`['${LAYER}', Ref('Libs')]`);
  const template = templateOf(body);
  const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function')!;
  assert.equal(fn.Properties!.Layers, [LAYER, { Ref: 'Libs' }]);
  await expectLintClean({ 'svc.json': template });
});

test('six layers are SPARTA050 at the layers option', () => {
  const arns = Array.from({ length: 6 }, (_, i) => `'arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1'`).join(', ');
  const body = withLayers(`[${arns}]`);
  const diagnostic = expectOneAt(body, 'SPARTA050', lineOf(body, 'layers:'));
  assert.match(diagnostic.message, /6 layers; a function may use at most 5/);
  assert.is(diagnostic.file, 'src/service.ts');
  assert.ok(diagnostic.column > 1);
});

test('a layer ARN without its version is SPARTA025 (Lambda takes layer versions only)', () => {
  const body = withLayers(`['arn:aws:lambda:us-east-1:123456789012:layer:shared-libs']`);
  const diagnostic = expectOneAt(body, 'SPARTA025', lineOf(body, 'layers:'));
  assert.match(diagnostic.message, /not a Lambda layer version ARN/);
});

test('a Ref to an unknown logical ID in layers is SPARTA012', () => {
  const body = withLayers(`[Ref('Nope')]`);
  expectOneAt(body, 'SPARTA012', lineOf(body, 'layers:'));
});

test('external names a package, not a path or a version: SPARTA013 otherwise', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda({ external: ['sharp@0.33'] })
  run() {}
}`;
  const diagnostic = expectOneAt(body, 'SPARTA013', lineOf(body, 'external:'));
  assert.match(diagnostic.message, /"sharp@0\.33", which is not an npm package name/);
});

test("@Service external holds for every function of its class, joined with the function's own", () => {
  const body = `@Service({ name: 'svc', external: ['lodash'] })
export class A {
  @Lambda({ external: ['dayjs', 'lodash'] })
  one() {}
  @Lambda()
  two() {}
}`;
  const external = serviceOf(body).functions.map((fn) => [fn.id, fn.options.external]);
  assert.equal(external, [['A.one', ['lodash', 'dayjs']], ['A.two', ['lodash']]]);
});

test('an external package stays out of the archive, and runs from the layer folder on NODE_PATH as in Lambda', async () => {
  const pkg = (dir: string, greeting: string) => ({
    [`${dir}/package.json`]: JSON.stringify({ name: 'greeter', version: '1.0.0', main: 'index.js', types: 'index.d.ts' }),
    [`${dir}/index.js`]: `exports.greet = (name) => '${greeting}, ' + name;\n`,
    [`${dir}/index.d.ts`]: 'export declare function greet(name: string): string;\n',
  });
  const root = writeProject({
    'src/service.ts': [
      "import { Lambda, Service } from 'sparta';",
      "import { greet } from 'greeter';",
      "@Service({ name: 'layered' })",
      'export class Layered {',
      `  @Lambda({ layers: ['${LAYER}'], external: ['greeter'] })`,
      "  hello() { return greet('layer'); }",
      '}',
      '',
    ].join('\n'),
    // What a Node.js layer holds: nodejs/node_modules, which Lambda puts on NODE_PATH (/opt/nodejs/node_modules).
    ...pkg('layer/nodejs/node_modules/greeter', 'from the layer'),
  });
  try {
    // writeProject makes node_modules itself (sparta's links).
    for (const [file, text] of Object.entries(pkg('node_modules/greeter', 'from the project'))) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    const project = path.join(root, 'tsconfig.json');
    const out = path.join(root, '.sparta');
    const build = await runCli(['build', '--project', project, '--out', out]);
    assert.is(build.code, 0, build.stderr);
    const dir = path.join(out, 'layered');
    const zip = path.join(dir, fs.readdirSync(dir).find((file) => file.endsWith('.zip'))!);
    const entries = new AdmZip(zip).getEntries().map((entry) => entry.entryName);
    assert.not.ok(entries.some((name) => name.includes('greeter')), entries.join(', '));
    assert.match(new AdmZip(zip).readAsText('index.js'), /require\('greeter'\)/);
    const run = await runCli(['invoke', 'hello', '--project', project, '--out', out, '--env', `NODE_PATH=${path.join(root, 'layer/nodejs/node_modules')}`]);
    assert.is(run.code, 0, run.stderr);
    assert.is(JSON.parse(run.stdout), 'from the layer, layer');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
