import * as ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnalysisResult } from '../../transformer/analyze';
import { analyzeSources, diagnosticLines } from '../helpers/inline-project';

// Which decorators are sparta's is decided by following each callee's symbol
// to the module `sparta` resolves to: every way of reaching a decorator is
// either understood or a diagnostic, never silently dropped.

const test = suite('transformer: recognising sparta decorators');

function functionIds(result: AnalysisResult): string[] {
  assert.ok(result.manifest, `expected a manifest, got:\n${diagnosticLines(result).join('\n')}`);
  return result.manifest.services.flatMap((service) => service.functions.map((fn) => fn.id));
}

function only(result: AnalysisResult, code: string) {
  assert.is(result.manifest, undefined, 'no manifest when there is an error');
  assert.equal(
    result.diagnostics.map((d) => d.code),
    [code],
    diagnosticLines(result).join('\n'),
  );
  return result.diagnostics[0];
}

test('a namespace import: @sp.Service and @sp.Lambda', () => {
  const result = analyzeSources({
    'src/a.ts': "import * as sp from 'sparta';\n@sp.Service({ name: 'svc' })\nexport class A {\n  @sp.Lambda({ memorySize: 256 })\n  run() {}\n}\n",
  });
  assert.equal(functionIds(result), ['A.run']);
  assert.is(result.manifest!.services[0].functions[0].options.memorySize, 256);
});

test('a const alias: const L = Lambda, then @L()', () => {
  const result = analyzeSources({
    'src/a.ts': "import { Service, Lambda } from 'sparta';\nconst L = Lambda;\n@Service({ name: 'svc' })\nexport class A {\n  @L({ timeout: 30 })\n  run() {}\n}\n",
  });
  assert.equal(functionIds(result), ['A.run']);
  assert.is(result.manifest!.services[0].functions[0].options.timeout, 30);
});

test("a re-export through the user's own module, renamed", () => {
  const result = analyzeSources({
    'src/decorators.ts': "export { Lambda as Fn, Service } from 'sparta';\n",
    'src/a.ts': "import { Fn, Service } from './decorators';\n@Service({ name: 'svc' })\nexport class A {\n  @Fn()\n  run() {}\n}\n",
  });
  assert.equal(functionIds(result), ['A.run']);
});

test('a function that returns Lambda(...) is SPARTA019 at the decorator, with a hint to use @Lambda directly', () => {
  const result = analyzeSources({
    'src/a.ts':
      "import { Service, Lambda } from 'sparta';\nfunction big() {\n  return Lambda({ memorySize: 2048 });\n}\n@Service({ name: 'svc' })\nexport class A {\n  @big()\n  run() {}\n}\n",
  });
  const diagnostic = only(result, 'SPARTA019');
  assert.is(diagnostic.line, 7);
  assert.match(diagnostic.message, /@big\(\) produces sparta's @Lambda/);
  assert.match(diagnostic.hint ?? '', /write @Lambda\(\.\.\.\) on the method itself/);
});

test('an arrow function that returns Lambda(...) is SPARTA019 too', () => {
  const result = analyzeSources({
    'src/a.ts': "import { Service, Lambda } from 'sparta';\nconst big = () => Lambda({ memorySize: 2048 });\n@Service({ name: 'svc' })\nexport class A {\n  @big()\n  run() {}\n}\n",
  });
  assert.is(only(result, 'SPARTA019').line, 5);
});

test('a const bound to the decorator Lambda() returns is SPARTA019', () => {
  const result = analyzeSources({
    'src/a.ts': "import { Service, Lambda } from 'sparta';\nconst big = Lambda({ memorySize: 2048 });\n@Service({ name: 'svc' })\nexport class A {\n  @big\n  run() {}\n}\n",
  });
  assert.is(only(result, 'SPARTA019').line, 5);
});

test("a decorator of the user's own that returns something else is not sparta's", () => {
  const result = analyzeSources({
    'src/a.ts':
      "import { Service, Lambda } from 'sparta';\nfunction traced(): MethodDecorator { return () => undefined; }\n@Service({ name: 'svc' })\nexport class A {\n  @traced()\n  @Lambda()\n  run() {}\n}\n",
  });
  assert.equal(functionIds(result), ['A.run']);
  assert.equal(result.diagnostics, []);
});

test("a user's own runtime/decorators.ts exporting Lambda is not sparta's (no SPARTA004)", () => {
  const result = analyzeSources({
    'src/runtime/decorators.ts': 'export function Lambda(): MethodDecorator { return () => undefined; }\n',
    'src/a.ts': "import { Lambda } from './runtime/decorators';\nexport class A {\n  @Lambda()\n  run() {}\n}\n",
  });
  assert.equal(result.diagnostics, [], diagnosticLines(result).join('\n'));
  assert.equal(result.manifest?.services, []);
});

test('experimentalDecorators off is one SPARTA020 at the first decorator, with the setting as hint', () => {
  const result = analyzeSources(
    {
      'src/a.ts': "import { Service, Lambda } from 'sparta';\n\n@Service({ name: 'svc' })\nexport class A {\n  @Lambda()\n  run() {}\n  @Lambda()\n  other() {}\n}\n",
    },
    { experimentalDecorators: false },
  );
  const diagnostic = only(result, 'SPARTA020');
  assert.is(diagnostic.line, 3);
  assert.match(diagnostic.hint ?? '', /"experimentalDecorators": true/);
});

test("a module resolution that cannot find 'sparta' is SPARTA021 at the import, not an empty project", () => {
  const result = analyzeSources(
    {
      'src/a.ts': "import { Service, Lambda } from 'sparta';\n@Service({ name: 'svc' })\nexport class A {\n  @Lambda()\n  run() {}\n}\n",
    },
    { moduleResolution: ts.ModuleResolutionKind.Classic, module: ts.ModuleKind.ES2022 },
  );
  const diagnostic = only(result, 'SPARTA021');
  assert.is(diagnostic.line, 1);
  assert.match(diagnostic.message, /module 'sparta' cannot be found/);
});

test.run();
