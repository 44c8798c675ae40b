import * as path from 'node:path';
import * as ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SAMPLE_EVENTS } from '../../sources';
import { REPO_ROOT } from '../helpers/paths';
import { setup } from '../helpers/setup';

// Every sample `sparta event` prints is a value of its type in
// @types/aws-lambda, checked the way a user's handler sees it: each sample's
// JSON assigned to a constant of that type, as an object literal (so a
// property the type does not declare is an error), compiled strict with
// exact optional properties, all samples in one program.

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.Node16,
  moduleResolution: ts.ModuleResolutionKind.Node16,
  strict: true,
  exactOptionalPropertyTypes: true,
  noEmit: true,
  // @types/aws-lambda imports node:stream, as in a project with @types/node; the library itself is not under test.
  types: ['node'],
  skipLibCheck: true,
};

/** The generated files sit in the repo (virtually), so 'aws-lambda' resolves to its @types as in a project. */
const ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'sample-types');

function program(files: Record<string, string>, oldProgram?: ts.Program): ts.Program {
  const virtual = new Map(Object.entries(files).map(([name, text]) => [path.join(ROOT, name), text]));
  const host = ts.createCompilerHost(OPTIONS);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) => {
    const text = virtual.get(fileName);
    return text !== undefined ? ts.createSourceFile(fileName, text, language, true) : getSourceFile(fileName, language, ...rest);
  };
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  host.readFile = (fileName) => virtual.get(fileName) ?? readFile(fileName);
  return ts.createProgram({ rootNames: [...virtual.keys()], options: OPTIONS, host, oldProgram });
}

/**
 * How to write each type in an annotation: its name, or, for a generic type
 * without defaults (`EventBridgeEvent<TDetailType extends string, TDetail>`),
 * its loosest instance (each parameter its constraint, else unknown).
 */
function annotations(typeNames: string[]): { written: Record<string, string>; program: ts.Program } {
  const probe = program({ 'types.ts': `import type { ${typeNames.join(', ')} } from 'aws-lambda';\n` });
  const checker = probe.getTypeChecker();
  const file = probe.getSourceFile(path.join(ROOT, 'types.ts'))!;
  const written: Record<string, string> = {};
  ts.forEachChild(file, (node) => {
    if (!ts.isImportDeclaration(node)) return;
    const bindings = node.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) return;
    for (const element of bindings.elements) {
      const name = element.name.text;
      const symbol = checker.getSymbolAtLocation(element.name);
      const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target?.declarations?.find((d) => ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d)) as ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined;
      const parameters = declaration?.typeParameters ?? [];
      written[name] = parameters.some((parameter) => parameter.default === undefined)
        ? `${name}<${parameters.map((parameter) => parameter.constraint?.getText() ?? 'unknown').join(', ')}>`
        : name;
    }
  });
  return { written, program: probe };
}

interface Checked {
  /** Error messages by sample name: every sample has an entry. */
  errors: Record<string, string[]>;
  files: Record<string, string>;
}

/** Type-checks each sample (`typeName` and the JSON `create` gives) in one program. */
function checkSamples(samples: Record<string, { typeName: string; event: unknown }>): Checked {
  const typeNames = [...new Set(Object.values(samples).map((sample) => sample.typeName))].sort();
  const { written, program: probe } = annotations(typeNames);
  const files: Record<string, string> = {};
  for (const [name, sample] of Object.entries(samples)) {
    files[`${name}.ts`] = `import type { ${sample.typeName} } from 'aws-lambda';\n\nexport const event: ${written[sample.typeName] ?? sample.typeName} = ${JSON.stringify(sample.event, null, 2)};\n`;
  }
  const checked = program(files, probe);
  const errors: Record<string, string[]> = Object.fromEntries(Object.keys(samples).map((name) => [name, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(checked)) {
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const name = diagnostic.file ? path.basename(diagnostic.file.fileName, '.ts') : undefined;
    if (name !== undefined && name in errors) errors[name].push(text);
    else throw new Error(`a diagnostic outside the samples: ${text}`);
  }
  return { errors, files };
}

const NOW = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const create = (name: string) => SAMPLE_EVENTS[name].create({ region: 'eu-west-1', account: '123456789012', now: NOW, values: {} });

// A wrong sample of each kind, beside the real ones, to show the check fails for them.
const realSns = () => create('sns') as { Records: Array<{ Sns: Record<string, unknown> }> };
function withExtraProperty() {
  const event = realSns();
  event.Records[0].Sns.TopicArm = 'arn:aws:sns:eu-west-1:123456789012:typo';
  return event;
}
function withMissingProperty() {
  const event = realSns();
  delete event.Records[0].Sns.TopicArn;
  return event;
}
function withWrongValueType() {
  const event = realSns();
  event.Records[0].Sns.MessageAttributes = 'none';
  return event;
}

/**
 * Fields API Gateway sends that @types/aws-lambda does not declare: the
 * samples (built by the same code as `sparta serve`'s events) carry them,
 * the type check leaves them out.
 */
const UNTYPED: Record<string, string[][]> = { websocket: [['requestContext', 'identity']] };

function withoutUntyped(name: string, event: unknown): unknown {
  const copy = structuredClone(event) as Record<string, Record<string, unknown>>;
  for (const [parent, field] of UNTYPED[name] ?? []) {
    assert.ok(field in copy[parent], `${name}: ${parent}.${field} is no longer sent; drop it from UNTYPED`);
    delete copy[parent][field];
  }
  return copy;
}

const types = suite<{ checked: Checked }>('sample types');

setup(types, (context) => {
  context.checked = checkSamples({
    ...Object.fromEntries(Object.entries(SAMPLE_EVENTS).map(([name, sample]) => [name, { typeName: sample.typeName, event: withoutUntyped(name, create(name)) }])),
    'wrong-extra': { typeName: 'SNSEvent', event: withExtraProperty() },
    'wrong-missing': { typeName: 'SNSEvent', event: withMissingProperty() },
    'wrong-type': { typeName: 'SNSEvent', event: withWrongValueType() },
    'wrong-generic': { typeName: 'EventBridgeEvent', event: { ...(create('schedule') as object), extra: true } },
  });
});

types('every sample of sparta event is a value of its @types/aws-lambda type', ({ checked }) => {
  const failing = Object.fromEntries(Object.keys(SAMPLE_EVENTS).filter((name) => checked.errors[name].length > 0).map((name) => [name, checked.errors[name]]));
  assert.equal(failing, {}, 'type errors by sample');
});

types('every sample is checked as an object literal assigned to its type, imported from aws-lambda', ({ checked }) => {
  for (const [name, sample] of Object.entries(SAMPLE_EVENTS)) {
    assert.match(checked.files[`${name}.ts`], `import type { ${sample.typeName} } from 'aws-lambda';`, name);
    assert.match(checked.files[`${name}.ts`], new RegExp(`export const event: ${sample.typeName}\\b[^=]* = \\{`), name);
  }
});

types('a property the type does not declare is an error', ({ checked }) => {
  assert.equal(checked.errors['wrong-extra'].length, 1);
  assert.match(checked.errors['wrong-extra'][0], `'"TopicArm"' does not exist in type 'SNSMessage'`);
});

types('a missing required property is an error', ({ checked }) => {
  assert.equal(checked.errors['wrong-missing'].length, 1);
  assert.match(checked.errors['wrong-missing'][0], "Property 'TopicArn' is missing");
});

types('a value of the wrong type is an error', ({ checked }) => {
  assert.equal(checked.errors['wrong-type'].length, 1);
  assert.match(checked.errors['wrong-type'][0], "Type 'string' is not assignable to type 'SNSMessageAttributes'");
});

types('a generic type without defaults is checked at its loosest instance, excess properties still errors', ({ checked }) => {
  assert.match(checked.files['wrong-generic.ts'], 'export const event: EventBridgeEvent<string, unknown> = {');
  assert.equal(checked.errors['wrong-generic'].length, 1);
  assert.match(checked.errors['wrong-generic'][0], `'"extra"' does not exist in type 'EventBridgeEvent<string, unknown>'`);
});

types.run();
