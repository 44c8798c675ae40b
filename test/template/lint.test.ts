import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate, serializeTemplate } from '../../cli/template';
import type { ServiceManifest } from '../../manifest/types';
import { findings, LINT_ERRORS, lintTemplates, type LintRun } from '../helpers/cfn-lint';
import { FIXTURES } from '../helpers/paths';
import { artifactsFor, generatedService, helloManifest, ordersManifest } from './services';
import { setup } from '../helpers/setup';

// cfn-lint knows every resource type's schema: what it reports as an error,
// CloudFormation would reject. All templates go through one cfn-lint call.

const test = suite('template: cfn-lint');

const BROKEN = path.join(FIXTURES, 'templates', 'broken.json');

function longNames(): ServiceManifest {
  const service = generatedService(2, 'a-rather-long-service-name-for-an-enterprise-stack');
  for (const fn of service.functions) {
    fn.className = `Very${'Long'.repeat(80)}ServiceClassName`;
    fn.methodName = `${fn.methodName}${'Incoming'.repeat(60)}`;
    fn.id = `${fn.className}.${fn.methodName}`;
  }
  return service;
}

const services: Record<string, ServiceManifest> = {
  hello: helloManifest(),
  orders: ordersManifest(),
  generated: generatedService(8),
  long: longNames(),
};

const context: { dir: string; files: Record<string, string>; run?: LintRun } = { dir: '', files: {} };

setup(test, async () => {
  context.dir = mkdtempSync(path.join(tmpdir(), 'sparta-lint-'));
  for (const [name, service] of Object.entries(services)) {
    const file = path.join(context.dir, `${name}.json`);
    writeFileSync(file, serializeTemplate(marshalTemplate(service, artifactsFor(service, { sourceMaps: true }))));
    context.files[name] = file;
  }
  context.run = await lintTemplates([...Object.values(context.files), BROKEN]);
});

test.after(() => {
  rmSync(context.dir, { recursive: true, force: true });
});

for (const name of Object.keys(services)) {
  test(`${name}: no error and no warning (a DependsOn that a Ref already implies is W3005)`, () => {
    const run = context.run!;
    assert.equal(findings(run, context.files[name], 'Error'), []);
    assert.equal(findings(run, context.files[name], 'Warning'), []);
  });
}

test('the deliberately broken fixture fails the lint', () => {
  const run = context.run!;
  assert.ok((run.exitCode & LINT_ERRORS) !== 0, `exit code ${run.exitCode}`);
  const rules = new Set(findings(run, BROKEN, 'Error').map((line) => line.split(' ')[0]));
  // A bad property name, a memory size out of range, a GetAtt and a Ref to nothing.
  for (const rule of ['E3002', 'E3034', 'E1010', 'E1020']) assert.ok(rules.has(rule), `${rule} not reported; got ${[...rules].join(', ')}`);
});

test.run();
