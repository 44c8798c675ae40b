import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnalysisResult } from '../../transformer/analyze';
import { analyzeService, analyzeSources, diagnosticLines } from '../helpers/inline-project';

// One behaviour a test: each misconfiguration is a diagnostic with its code,
// at the file and line of the offending decorator argument, and no manifest.

const test = suite('transformer diagnostics');

/** The 1-based line of `needle` in the file that analyzeService writes (imports take line 1). */
function lineOf(body: string, needle: string): number {
  const index = body.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in body`);
  return index + 2;
}

function expectOne(result: AnalysisResult, code: string, line: number, file = 'src/service.ts') {
  assert.is(result.manifest, undefined, 'no manifest when there are diagnostics');
  const found = result.diagnostics.filter((diagnostic) => diagnostic.code === code);
  assert.is(found.length, 1, `expected one ${code}, got ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.line, d.message]))}`);
  assert.is(found[0].file, file);
  assert.is(found[0].line, line);
  return found[0];
}

test('a let variable as an argument is SPARTA001 at that argument', () => {
  const body = `let memory = 256;
@Service({ name: 'svc' })
export class A {
  @Lambda({ memorySize: memory })
  run() {}
}`;
  const diagnostic = expectOne(analyzeService(body), 'SPARTA001', lineOf(body, 'memorySize'));
  assert.match(diagnostic.message, /not a const/);
  assert.match(diagnostic.hint ?? '', /literals/);
});

test('a function call as an argument is SPARTA001', () => {
  const body = `function mb() { return 256; }
@Service({ name: 'svc' })
export class A {
  @Lambda({ memorySize: mb() })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA001', lineOf(body, 'memorySize: mb()'));
});

test('a template string with substitutions is SPARTA001', () => {
  const body = `const stage = 'dev';
@Service({ name: \`svc-\${stage}\` })
export class A {
  @Lambda()
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA001', lineOf(body, '@Service'));
});

test('an invalid service name is SPARTA002', () => {
  const body = `@Service({ name: 'my_service' })
export class A {
  @Lambda()
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA002', lineOf(body, 'my_service'));
});

test('a service name over 128 characters is SPARTA002', () => {
  const body = `@Service({ name: '${'a'.repeat(129)}' })
export class A {}`;
  expectOne(analyzeService(body), 'SPARTA002', 2);
});

test('two classes of one service with different descriptions are SPARTA003', () => {
  const result = analyzeSources({
    'src/a.ts': "import { Service, Lambda } from 'sparta';\n@Service({ name: 'svc', description: 'one' })\nexport class A { @Lambda() a() {} }\n",
    'src/b.ts': "import { Service, Lambda } from 'sparta';\n\n\n@Service({ name: 'svc', description: 'two' })\nexport class B { @Lambda() b() {} }\n",
  });
  expectOne(result, 'SPARTA003', 4, 'src/b.ts');
});

test('@Lambda in a class without @Service is SPARTA004', () => {
  const body = `export class A {
  @Lambda()
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA004', lineOf(body, '@Lambda'));
});

test('@Lambda on a static method is SPARTA005', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda()
  static run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA005', lineOf(body, '@Lambda'));
});

test('two functions with the same identity in one service are SPARTA006', () => {
  const result = analyzeSources({
    'src/a.ts': "import { Service, Lambda } from 'sparta';\n@Service({ name: 'svc' })\nexport class Worker {\n  @Lambda()\n  run() {}\n}\n",
    'src/b.ts': "import { Service, Lambda } from 'sparta';\n@Service({ name: 'svc' })\nexport class Worker {\n  @Lambda()\n  run() {}\n}\n",
  });
  const diagnostic = expectOne(result, 'SPARTA006', 5, 'src/b.ts');
  assert.match(diagnostic.message, /Worker\.run/);
});

test('memory below 128 MB is SPARTA007', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda({ memorySize: 64 })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA007', lineOf(body, 'memorySize'));
});

test('memory above 10240 MB is SPARTA007', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda({ memorySize: 10241 })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA007', lineOf(body, 'memorySize'));
});

test('a timeout over 900 seconds is SPARTA008', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda({ timeout: 901 })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA008', lineOf(body, 'timeout'));
});

test('nodejs20.x is SPARTA009 and says it can no longer be created', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda({ runtime: 'nodejs20.x' as never })
  run() {}
}`;
  const diagnostic = expectOne(analyzeService(body), 'SPARTA009', lineOf(body, 'runtime'));
  assert.match(diagnostic.message, /can no longer be created/);
});

test('an action without a service prefix is SPARTA010', () => {
  const body = `@Service({ name: 'svc' })
@Resource('Topic', { Type: 'AWS::SNS::Topic' })
export class A {
  @Lambda()
  @Privilege({ actions: ['sns:Publish', 'Publish'], resource: Ref('Topic') })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA010', lineOf(body, '@Privilege'));
});

test('a rate with the wrong unit is SPARTA011', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda()
  @CloudWatchEvent({ schedule: 'rate(1 minutes)' })
  run() {}
}`;
  const diagnostic = expectOne(analyzeService(body), 'SPARTA011', lineOf(body, 'schedule'));
  assert.match(diagnostic.message, /singular/);
});

test('a cron with five fields is SPARTA011', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda()
  @CloudWatchEvent({ schedule: 'cron(0 12 * * ?)' })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA011', lineOf(body, 'schedule'));
});

test('a cron with both day fields set is SPARTA011', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda()
  @CloudWatchEvent({ schedule: 'cron(0 12 1 * MON *)' })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA011', lineOf(body, 'schedule'));
});

for (const [what, reference] of [
  ['Ref', "Ref('Missing')"],
  ['GetAtt', "GetAtt('Missing', 'Arn')"],
  ['Sub', "Sub('${Missing.Arn}/*')"],
] as const) {
  test(`a ${what} to an undeclared resource is SPARTA012`, () => {
    const body = `@Service({ name: 'svc' })
export class A {
  @Lambda()
  @Privilege({ actions: 's3:GetObject', resource: ${reference} })
  run() {}
}`;
    const diagnostic = expectOne(analyzeService(body), 'SPARTA012', lineOf(body, '@Privilege'));
    assert.match(diagnostic.message, /Missing/);
  });
}

test('a DependsOn on an undeclared resource is SPARTA012', () => {
  const body = `@Service({ name: 'svc' })
@Resource('Queue', { Type: 'AWS::SQS::Queue' })
export class A {
  @Lambda()
  @DependsOn('Queue', 'Table')
  run() {}
}`;
  const diagnostic = expectOne(analyzeService(body), 'SPARTA012', lineOf(body, '@DependsOn'));
  assert.match(diagnostic.message, /Table/);
  assert.match(diagnostic.hint ?? '', /Queue/);
});

test('Sub with only pseudo parameters needs no resource', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda()
  @Privilege({ actions: 'ssm:GetParameter', resource: Sub('arn:aws:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/app/*') })
  run() {}
}`;
  const result = analyzeService(body);
  assert.equal(diagnosticLines(result), []);
});

test('an unknown @Lambda option is SPARTA013 naming the allowed ones', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda({ memory: 256 } as never)
  run() {}
}`;
  const diagnostic = expectOne(analyzeService(body), 'SPARTA013', lineOf(body, 'memory'));
  assert.match(diagnostic.hint ?? '', /memorySize/);
});

test('@Privilege on a method without @Lambda is SPARTA014', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Privilege({ actions: 's3:GetObject', resource: 'arn:aws:s3:::bucket/*' })
  run() {}
}`;
  expectOne(analyzeService(body), 'SPARTA014', lineOf(body, '@Privilege'));
});

test('two resources with one logical ID are SPARTA015', () => {
  const body = `@Service({ name: 'svc' })
@Resource('Topic', { Type: 'AWS::SNS::Topic' })
@Resource('Topic', { Type: 'AWS::SQS::Queue' })
export class A {}`;
  const result = analyzeService(body);
  assert.is(result.manifest, undefined);
  assert.equal(result.diagnostics.map((d) => d.code), ['SPARTA015']);
});

test('a logical ID with a hyphen is SPARTA016', () => {
  const body = `@Service({ name: 'svc' })
@Resource('my-topic', { Type: 'AWS::SNS::Topic' })
export class A {}`;
  expectOne(analyzeService(body), 'SPARTA016', lineOf(body, 'my-topic'));
});

test('a service class that is not exported is SPARTA017', () => {
  const body = `@Service({ name: 'svc' })
class Hidden {
  @Lambda()
  run() {}
}
export const used = Hidden;`;
  expectOne(analyzeService(body), 'SPARTA017', lineOf(body, 'class Hidden'));
});

test('@Lambda on a property is SPARTA018', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  // @ts-ignore: a method decorator on a property is what is being tested
  @Lambda()
  run = () => 1;
}`;
  expectOne(analyzeService(body), 'SPARTA018', lineOf(body, '@Lambda'));
});

test('one run reports every problem, ordered by position', () => {
  const body = `@Service({ name: 'svc' })
export class A {
  @Lambda({ memorySize: 1, timeout: 0 })
  run() {}
}`;
  const codes = analyzeService(body).diagnostics.map((d) => d.code);
  assert.equal(codes, ['SPARTA007', 'SPARTA008']);
});

test.run();
