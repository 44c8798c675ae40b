import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { EventSourceManifest } from '../../manifest/types';
import { analyzeProgram, analyzeProject, type AnalysisResult } from '../../transformer/analyze';
import { DiagnosticBag, type SpartaDiagnostic } from '../../transformer/diagnostics';
import { checkEventTypes } from '../../transformer/event-type';
import { readTsconfig } from '../../transformer/tsconfig';
import { analyzeSources, INLINE_ROOT } from '../helpers/inline-project';
import { FIXTURES } from '../helpers/paths';

// The event parameter of a decorated method is checked against what its
// sources deliver, and a source that reports batch item failures wants a
// return type that can be a batch response. `sparta explain` analyses
// without the standard library and tspc with it: every case runs both ways
// and must report the same. The "with lib" side loads ES5's lib only: it
// declares Promise and Record, all that changes what a name resolves to, at a
// third of the time of the full lib.

const WITH_LIB: ts.CompilerOptions = { lib: ['lib.es5.d.ts'] };

const HEADER = [
  "import { Service, Lambda, CloudWatchEvent, SNS, SQS, Resource, Ref } from 'sparta';",
  "import type { SQSEvent, SQSRecord, SNSEvent, ScheduledEvent, EventBridgeEvent, SQSBatchResponse, DynamoDBBatchResponse, KinesisStreamBatchResponse } from 'aws-lambda';",
  '',
].join('\n');

/** The 1-based line of `needle` in a file written as HEADER + body. */
function lineOf(body: string, needle: string): number {
  const index = body.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in body`);
  return index + 1 + HEADER.split('\n').length - 1;
}

function summary(diagnostics: readonly SpartaDiagnostic[]) {
  return diagnostics.map(({ code, file, line, column, message, hint }) => ({ code, file, line, column, message, hint }));
}

/** Analyses `body` in src/service.ts as explain does (noLib) and as tspc does (lib): the two must agree. */
function analyze(body: string): AnalysisResult {
  const files = { 'src/service.ts': HEADER + body };
  const withLib = analyzeSources(files, WITH_LIB);
  const withoutLib = analyzeSources(files, { noLib: true });
  assert.equal(summary(withoutLib.diagnostics), summary(withLib.diagnostics), 'explain (noLib) and tspc (lib) report the same');
  return withLib;
}

function expectOne(diagnostics: readonly SpartaDiagnostic[], code: string, line: number) {
  const found = diagnostics.filter((diagnostic) => diagnostic.code === code);
  assert.is(found.length, 1, `expected one ${code}, got ${JSON.stringify(diagnostics.map((d) => [d.code, d.line, d.message]))}`);
  assert.is(found[0].file, 'src/service.ts');
  assert.is(found[0].line, line);
  return found[0];
}

function expectClean(result: AnalysisResult) {
  assert.equal(summary(result.diagnostics), []);
  assert.ok(result.manifest, 'a manifest');
}

const SNS_SERVICE = (parameter: string) => `@Service({ name: 'svc' })
@Resource('Alerts', { Type: 'AWS::SNS::Topic' })
export class Alerts {
  @Lambda()
  @SNS({ topic: Ref('Alerts') })
  async onAlert(${parameter}) {}
}`;

const types = suite('event type');

types('an @SNS handler whose event is typed SQSEvent is SPARTA028 at the parameter, naming SNSEvent', () => {
  const body = SNS_SERVICE('event: SQSEvent');
  const result = analyze(body);
  assert.is(result.manifest, undefined);
  const diagnostic = expectOne(result.diagnostics, 'SPARTA028', lineOf(body, 'event: SQSEvent'));
  assert.is(diagnostic.message, 'the event of Alerts.onAlert is typed SQSEvent, but @SNS delivers SNSEvent');
  assert.is(diagnostic.hint, "type it SNSEvent (from 'aws-lambda'), or unknown");
  const source = HEADER + body;
  assert.is(diagnostic.column, source.split('\n')[diagnostic.line - 1].indexOf('event: SQSEvent') + 1);
});

types('an @SNS handler whose event is typed SNSEvent is accepted', () => {
  expectClean(analyze(SNS_SERVICE('event: SNSEvent')));
});

for (const [what, parameter] of [
  ['unknown', 'event: unknown'],
  ['any', 'event: any'],
  ['no annotation', 'event'],
  ['no parameter', ''],
  ['a type literal of its own', 'event: { Records: unknown[] }'],
  ['a type of the standard library', 'event: Record<string, unknown>'],
] as const) {
  types(`an @SNS handler whose event has ${what} is accepted`, () => {
    expectClean(analyze(SNS_SERVICE(parameter)));
  });
}

types("a user's own interface is accepted, even one extending an aws-lambda type", () => {
  const body = `interface Incoming extends SQSEvent { extra: string }\n${SNS_SERVICE('event: Incoming')}`;
  expectClean(analyze(body));
});

types('SNSEvent | undefined is accepted on @SNS', () => {
  expectClean(analyze(SNS_SERVICE('event: SNSEvent | undefined')));
});

types('an aws-lambda type imported under another name counts by its declared name', () => {
  const body = `import type { SQSEvent as Incoming } from 'aws-lambda';\n${SNS_SERVICE('event: Incoming')}`;
  const diagnostic = expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: Incoming'));
  assert.match(diagnostic.message, /typed SQSEvent, but @SNS delivers SNSEvent/);
});

types('an aws-lambda type through a namespace import is checked', () => {
  const body = `import type * as lambda from 'aws-lambda';\n${SNS_SERVICE('event: lambda.SQSEvent')}`;
  expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: lambda.SQSEvent'));
});

types("an aws-lambda type through import('aws-lambda') is checked", () => {
  const body = SNS_SERVICE("event: import('aws-lambda').SQSEvent");
  expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: import('));
});

types("a user's type alias is followed to the aws-lambda type it stands for", () => {
  const body = `type Incoming = SQSEvent;\ntype Again = Incoming;\n${SNS_SERVICE('event: Again')}`;
  const diagnostic = expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: Again'));
  assert.match(diagnostic.message, /typed SQSEvent/);
});

types('a record type where the batch is delivered is SPARTA028', () => {
  const body = SNS_SERVICE('event: SQSRecord');
  expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: SQSRecord'));
});

const RULE_SERVICE = (decorator: string, parameter: string) => `@Service({ name: 'svc' })
export class Jobs {
  @Lambda()
  @CloudWatchEvent(${decorator})
  async run(${parameter}) {}
}`;

types('a schedule takes ScheduledEvent', () => {
  expectClean(analyze(RULE_SERVICE("{ schedule: 'rate(5 minutes)' }", 'event: ScheduledEvent')));
});

types('a pattern takes the generic EventBridgeEvent, matched by name whatever its arguments', () => {
  expectClean(analyze(RULE_SERVICE("{ pattern: { source: ['shop'] } }", "event: EventBridgeEvent<'order', { id: string }>")));
});

types("a pattern takes aws-lambda's own EventBridge events (S3's extend EventBridgeEvent)", () => {
  const body = `import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';\n${RULE_SERVICE("{ pattern: { source: ['aws.s3'] } }", 'event: S3ObjectCreatedNotificationEvent')}`;
  expectClean(analyze(body));
});

types('a pattern takes an aws-lambda alias for a union of EventBridge events', () => {
  const body = `import type { S3NotificationEvent } from 'aws-lambda';\n${RULE_SERVICE("{ pattern: { source: ['aws.s3'] } }", 'event: S3NotificationEvent')}`;
  expectClean(analyze(body));
});

types('an EventBridge event of aws-lambda on @SNS is SPARTA028', () => {
  const body = `import type { S3ObjectCreatedNotificationEvent } from 'aws-lambda';\n${SNS_SERVICE('event: S3ObjectCreatedNotificationEvent')}`;
  const diagnostic = expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: S3ObjectCreatedNotificationEvent'));
  assert.match(diagnostic.message, /typed S3ObjectCreatedNotificationEvent, but @SNS delivers SNSEvent/);
});

types('a schedule whose event is typed SNSEvent is SPARTA028, naming ScheduledEvent and EventBridgeEvent', () => {
  const body = RULE_SERVICE("{ schedule: 'rate(5 minutes)' }", 'event: SNSEvent');
  const diagnostic = expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: SNSEvent'));
  assert.is(diagnostic.message, 'the event of Jobs.run is typed SNSEvent, but @CloudWatchEvent delivers ScheduledEvent or EventBridgeEvent');
});

types('a rule with a constant input delivers that input: any type is accepted', () => {
  expectClean(analyze(RULE_SERVICE("{ schedule: 'rate(5 minutes)', input: { job: 'nightly' } }", 'event: SQSEvent')));
});

const TWO_SOURCES = (parameter: string) => `@Service({ name: 'svc' })
@Resource('Alerts', { Type: 'AWS::SNS::Topic' })
export class Both {
  @Lambda()
  @CloudWatchEvent({ schedule: 'rate(1 hour)' })
  @SNS({ topic: Ref('Alerts') })
  async run(${parameter}) {}
}`;

types('sources of two kinds take the union of their types', () => {
  expectClean(analyze(TWO_SOURCES('event: ScheduledEvent | SNSEvent')));
});

types('one member of the union where two kinds deliver is SPARTA028, naming the kind left out', () => {
  const body = TWO_SOURCES('event: SNSEvent');
  const diagnostic = expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: SNSEvent'));
  assert.is(
    diagnostic.message,
    'the event of Both.run is typed SNSEvent, which leaves out what @CloudWatchEvent delivers: @CloudWatchEvent delivers ScheduledEvent or EventBridgeEvent, @SNS delivers SNSEvent',
  );
  assert.is(diagnostic.hint, "type it SNSEvent | ScheduledEvent (from 'aws-lambda'), or unknown");
});

types('a union with a member no source delivers is SPARTA028, and the hint keeps the right members', () => {
  const body = TWO_SOURCES('event: ScheduledEvent | SQSEvent');
  const diagnostic = expectOne(analyze(body).diagnostics, 'SPARTA028', lineOf(body, 'event: ScheduledEvent | SQSEvent'));
  assert.is(diagnostic.hint, "type it ScheduledEvent | SNSEvent (from 'aws-lambda'), or unknown");
});

types("a union with a type of the user's own need not cover every kind", () => {
  expectClean(analyze(`interface Tick { tick: true }\n${TWO_SOURCES('event: SNSEvent | Tick')}`));
});

types("explain's analysis and the tsconfig's whole program (what tspc analyses) report the same SPARTA028", () => {
  const dir = fs.mkdtempSync(path.join(FIXTURES, '.tmp-event-type-'));
  try {
    // As a user's, without @types/node (which the check never reads and would only slow the test).
    const config = { compilerOptions: { target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: true, experimentalDecorators: true, types: [] }, include: ['src'] };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    fs.mkdirSync(path.join(dir, 'src'));
    const body = TWO_SOURCES('event: SQSEvent');
    fs.writeFileSync(path.join(dir, 'src', 'service.ts'), HEADER + body);
    const tsconfig = path.join(dir, 'tsconfig.json');
    const explained = analyzeProject(tsconfig);
    const { parsed } = readTsconfig(tsconfig);
    const whole = analyzeProgram(ts.createProgram({ rootNames: parsed!.fileNames, options: parsed!.options }), dir);
    assert.equal(summary(explained.diagnostics), summary(whole.diagnostics));
    expectOne(whole.diagnostics, 'SPARTA028', lineOf(body, 'event: SQSEvent'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

types.run();

// The batch response: the check called directly on one method with a manifest
// event, so each return type is one small program (the end-to-end case is below).

const SQS_REPORTING: EventSourceManifest = {
  kind: 'sqs',
  queue: { Ref: 'Jobs' },
  reportBatchItemFailures: true,
  source: { file: 'src/service.ts', line: 1, column: 1 },
};

const OPTIONS: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, strict: true, types: [], noEmit: true };

/** Library files parse once for every program, as in test/helpers/inline-project.ts. */
const parsed = new Map<string, ts.SourceFile | undefined>();

/** The check's diagnostics for the first method of `body`'s class, under `options`. */
function checkMethod(body: string, events: EventSourceManifest[], options: ts.CompilerOptions): SpartaDiagnostic[] {
  const file = path.join(INLINE_ROOT, 'src', 'service.ts');
  const text = HEADER + body;
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => {
    if (name === file) return ts.createSourceFile(name, text, version, true);
    if (!parsed.has(name)) parsed.set(name, getSourceFile(name, version));
    return parsed.get(name);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === file || fileExists(name);
  const program = ts.createProgram({ rootNames: [file], options, host });
  const source = program.getSourceFile(file)!;
  const cls = source.statements.find(ts.isClassDeclaration)!;
  const method = cls.members.find(ts.isMethodDeclaration)!;
  const bag = new DiagnosticBag(INLINE_ROOT);
  checkEventTypes(method, 'Jobs.run', events, program.getTypeChecker(), bag);
  return bag.sorted();
}

/** Both ways, which must agree. */
function check(body: string, events: EventSourceManifest[] = [SQS_REPORTING]): SpartaDiagnostic[] {
  const withLib = checkMethod(body, events, { ...OPTIONS, ...WITH_LIB });
  assert.equal(summary(checkMethod(body, events, { ...OPTIONS, noLib: true })), summary(withLib), 'explain (noLib) and tspc (lib) report the same');
  return withLib;
}

const batch = suite('batch response type');

const METHOD = (signature: string, body = '') => `export class Jobs {
  ${signature} {${body}}
}`;

for (const returnType of ['void', 'Promise<void>', 'string', 'Promise<{ ok: boolean }>', 'SQSEvent', 'Promise<string[]>', "'done' | undefined"]) {
  batch(`reportBatchItemFailures with return type ${returnType} is SPARTA029 at the return type`, () => {
    const body = METHOD(`async run(event: unknown): ${returnType}`);
    const diagnostic = expectOne(check(body), 'SPARTA029', lineOf(body, 'async run'));
    assert.is(diagnostic.column, (HEADER + body).split('\n')[diagnostic.line - 1].indexOf(`): ${returnType}`) + 4);
    assert.match(diagnostic.message, new RegExp(`^Jobs\\.run reports batch item failures \\(reportBatchItemFailures on @SQS\\), but its return type .* cannot be a batch response`));
  });
}

batch('an interface of the user without batchItemFailures is SPARTA029', () => {
  const body = `interface Outcome { processed: number }\n${METHOD('async run(event: unknown): Promise<Outcome>')}`;
  expectOne(check(body), 'SPARTA029', lineOf(body, 'async run'));
});

batch('an alias of the user for void is followed: SPARTA029', () => {
  const body = `type Nothing = void;\n${METHOD('async run(event: unknown): Promise<Nothing>')}`;
  expectOne(check(body), 'SPARTA029', lineOf(body, 'async run'));
});

batch('an inferred return type with no return value is SPARTA029 at the method name', () => {
  const body = METHOD('async run(event: unknown)', '\n    console.log(event);\n  ');
  const diagnostic = expectOne(check(body), 'SPARTA029', lineOf(body, 'async run'));
  assert.is(diagnostic.column, 9);
  assert.match(diagnostic.message, /returns no batch response/);
});

batch('an inferred return of an object without batchItemFailures is SPARTA029', () => {
  const body = METHOD('async run(event: unknown)', ' return { processed: 1 }; ');
  expectOne(check(body), 'SPARTA029', lineOf(body, 'async run'));
});

batch('a return inside a nested function does not count as the method returning', () => {
  const body = METHOD('async run(event: unknown)', ' [1].map(() => { return { batchItemFailures: [] }; }); ');
  expectOne(check(body), 'SPARTA029', lineOf(body, 'async run'));
});

for (const returnType of [
  'SQSBatchResponse',
  'Promise<SQSBatchResponse>',
  'DynamoDBBatchResponse',
  'Promise<KinesisStreamBatchResponse>',
  'Promise<SQSBatchResponse | void>',
  'SQSBatchResponse | undefined',
  'any',
  'Promise<unknown>',
  "import('aws-lambda').SQSBatchResponse",
  '{ batchItemFailures: { itemIdentifier: string }[] }',
  'Record<string, unknown>',
]) {
  batch(`reportBatchItemFailures with return type ${returnType} is accepted`, () => {
    assert.equal(summary(check(METHOD(`async run(event: unknown): ${returnType}`))), []);
  });
}

batch('an interface of the user with batchItemFailures is accepted', () => {
  const body = `interface Outcome { batchItemFailures: { itemIdentifier: string }[] }\n${METHOD('async run(event: unknown): Promise<Outcome>')}`;
  assert.equal(summary(check(body)), []);
});

for (const returned of ['{ batchItemFailures: [] }', 'processBatch(event)', 'await processBatch(event)', 'failures', '{ ...failures }']) {
  batch(`an inferred return of ${returned} is accepted`, () => {
    const body = METHOD('async run(event: unknown)', ` const failures = { batchItemFailures: [] }; const processBatch = (e: unknown) => failures; return ${returned}; `);
    assert.equal(summary(check(body)), []);
  });
}

batch('without reportBatchItemFailures any return type is accepted', () => {
  const plain = { ...SQS_REPORTING, reportBatchItemFailures: false } as unknown as EventSourceManifest;
  assert.equal(summary(check(METHOD('async run(event: unknown): Promise<void>'), [plain])), []);
});

batch('end to end: @SQS with reportBatchItemFailures on a method returning Promise<void> is SPARTA029 at the return type', () => {
  const body = `@Service({ name: 'jobs' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue' })
export class Jobs {
  @Lambda()
  @SQS({ queue: Ref('Jobs'), reportBatchItemFailures: true })
  async run(event: SQSEvent): Promise<void> {}
}`;
  const diagnostic = expectOne(analyze(body).diagnostics, 'SPARTA029', lineOf(body, 'async run'));
  assert.match(diagnostic.message, 'reportBatchItemFailures on @SQS');
});

batch('end to end: the same method returning Promise<SQSBatchResponse> is clean, and an SNSEvent parameter on @SQS is SPARTA028', () => {
  const clean = `@Service({ name: 'jobs' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue' })
export class Jobs {
  @Lambda()
  @SQS({ queue: Ref('Jobs'), reportBatchItemFailures: true })
  async run(event: SQSEvent): Promise<SQSBatchResponse> { return { batchItemFailures: [] }; }
}`;
  expectClean(analyze(clean));
  const wrong = clean.replace('event: SQSEvent', 'event: SNSEvent');
  const diagnostic = expectOne(analyze(wrong).diagnostics, 'SPARTA028', lineOf(wrong, 'async run'));
  assert.match(diagnostic.message, 'SQSEvent');
});

batch.run();
