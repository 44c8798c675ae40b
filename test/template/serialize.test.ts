import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate, serializeTemplate, TEMPLATE_FILE, writeTemplate } from '../../cli/template';
import type { ServiceManifest } from '../../manifest/types';
import { artifactsFor, ordersManifest } from './services';

const test = suite('template: byte-stable output');

/** The same data with every object's keys in reverse order and the lists the manifest does not order reversed. */
function reversedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse()) out[key] = reversedKeys((value as Record<string, unknown>)[key]);
  return out as T;
}

function paths(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((key) => paths((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${at}/${key}`));
  }
  return [at];
}

test('the same input gives byte-identical output', () => {
  const first = serializeTemplate(marshalTemplate(ordersManifest(), artifactsFor(ordersManifest())));
  const second = serializeTemplate(marshalTemplate(ordersManifest(), artifactsFor(ordersManifest())));
  assert.is(first, second);
});

test('key order in the manifest, and the order of functions, resources and artifacts, do not change a byte', () => {
  const manifest = ordersManifest();
  const shuffled: ServiceManifest = reversedKeys(manifest);
  shuffled.functions.reverse();
  shuffled.resources.reverse();
  const artifacts = artifactsFor(manifest);
  assert.is(serializeTemplate(marshalTemplate(shuffled, reversedKeys(artifacts).reverse())), serializeTemplate(marshalTemplate(manifest, artifacts)));
});

test('changing only the code changes only the S3Key of each function', () => {
  const manifest = ordersManifest();
  const before = JSON.parse(serializeTemplate(marshalTemplate(manifest, artifactsFor(manifest, { codeVersion: 'v1' }))));
  const after = JSON.parse(serializeTemplate(marshalTemplate(manifest, artifactsFor(manifest, { codeVersion: 'v2' }))));
  const changed = paths(before, after);
  assert.is(changed.length, manifest.functions.length);
  for (const path of changed) assert.match(path, /^\/Resources\/[A-Za-z0-9]+\/Properties\/Code\/S3Key$/);
});

test('changing one function changes only that function', () => {
  const manifest = ordersManifest();
  const artifacts = artifactsFor(manifest);
  const before = JSON.parse(serializeTemplate(marshalTemplate(manifest, artifacts)));
  manifest.functions.find((fn) => fn.id === 'Orders.create')!.options.memorySize = 2048;
  const after = JSON.parse(serializeTemplate(marshalTemplate(manifest, artifacts)));
  assert.equal(paths(before, after), [`/Resources/${Object.keys(before.Resources).find((id) => id.startsWith('OrdersCreate') && before.Resources[id].Type === 'AWS::Lambda::Function')}/Properties/MemorySize`]);
});

test('sections come in reading order, a resource starts with its Type, and the text ends with a newline', () => {
  const text = serializeTemplate(marshalTemplate(ordersManifest(), artifactsFor(ordersManifest())));
  assert.equal(Object.keys(JSON.parse(text)), ['AWSTemplateFormatVersion', 'Description', 'Parameters', 'Resources', 'Outputs']);
  const template = JSON.parse(text) as { Resources: Record<string, object> };
  for (const resource of Object.values(template.Resources)) assert.is(Object.keys(resource)[0], 'Type');
  assert.equal(Object.keys(template.Resources), Object.keys(template.Resources).sort());
  assert.ok(text.endsWith('}\n'));
  assert.ok(text.startsWith('{\n  "AWSTemplateFormatVersion": "2010-09-09",\n'));
});

test('array order is kept: it means something in CloudFormation', () => {
  const manifest = ordersManifest();
  const create = manifest.functions.find((fn) => fn.id === 'Orders.create')!;
  create.privileges.reverse();
  const template = JSON.parse(serializeTemplate(marshalTemplate(manifest, artifactsFor(manifest))));
  const policy = Object.entries(template.Resources as Record<string, { Type: string; Properties: { PolicyDocument: { Statement: Array<{ Action: string[] }> } } }>).find(
    ([id, resource]) => id.startsWith('OrdersCreate') && resource.Type === 'AWS::IAM::Policy',
  )![1];
  assert.equal(policy.Properties.PolicyDocument.Statement.map((statement) => statement.Action[0]), ['sns:Publish', 'dynamodb:PutItem', 'logs:CreateLogStream']);
});

test('writeTemplate writes the serialised bytes, creating the folder', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparta-template-'));
  try {
    const template = marshalTemplate(ordersManifest(), artifactsFor(ordersManifest()));
    const file = path.join(dir, '.sparta', TEMPLATE_FILE);
    const written = await writeTemplate(file, template);
    assert.is(written, serializeTemplate(template));
    assert.is(await readFile(file, 'utf8'), written);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
