import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AnalysisResult } from '../../transformer/analyze';
import { analyzeService, diagnosticLines } from '../helpers/inline-project';

// Values that CloudFormation, IAM or cfn-lint would reject, caught at the
// decorator that wrote them. analyzeService puts one import line in front of
// the body, so body line n is file line n + 1.

const test = suite('transformer: checks of what AWS would reject');

function lineOf(body: string, needle: string): number {
  const index = body.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in body`);
  return index + 2;
}

function expectOnly(result: AnalysisResult, code: string, line: number) {
  assert.equal(
    result.diagnostics.map((d) => [d.code, d.line]),
    [[code, line]],
    diagnosticLines(result).join('\n'),
  );
  return result.diagnostics[0];
}

function expectClean(result: AnalysisResult) {
  assert.equal(diagnosticLines(result), []);
  assert.ok(result.manifest);
}

function lambdaWith(decorators: string): string {
  return `@Service({ name: 'svc' })
@Resource('Topic', { Type: 'AWS::SNS::Topic' })
export class A {
  @Lambda()
${decorators}
  run() {}
}`;
}

for (const reserved of ['ArtifactBucket', 'ServiceName']) {
  test(`@Resource('${reserved}', ...) is SPARTA022: the template's own ${reserved === 'ArtifactBucket' ? 'parameter' : 'output'}`, () => {
    const body = `@Service({ name: 'svc' })
@Resource('${reserved}', { Type: 'AWS::S3::Bucket' })
export class A {
  @Lambda()
  run() {}
}`;
    const diagnostic = expectOnly(analyzeService(body), 'SPARTA022', lineOf(body, `'${reserved}'`));
    assert.match(diagnostic.hint ?? '', /another logical ID/);
  });
}

test('an operator outside IAM\'s list is SPARTA023', () => {
  const body = lambdaWith("  @Privilege({ actions: 's3:GetObject', resource: 'arn:aws:s3:::b/*', condition: { StringEqualz: { 'aws:PrincipalTag/team': 'a' } } })");
  const diagnostic = expectOnly(analyzeService(body), 'SPARTA023', lineOf(body, 'StringEqualz'));
  assert.match(diagnostic.message, /`StringEqualz` is not an IAM condition operator/);
});

test('IfExists and the ForAllValues:/ForAnyValue: prefixes are operators', () => {
  const condition = "{ StringLikeIfExists: { 'aws:userid': 'a*' }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] }, 'ForAllValues:ArnLikeIfExists': { 'aws:SourceArn': ['arn:aws:sns:*'] }, Null: { 'aws:TokenIssueTime': 'true' }, NumericLessThanEquals: { 's3:max-keys': '10' } }";
  expectClean(analyzeService(lambdaWith(`  @Privilege({ actions: 's3:GetObject', resource: 'arn:aws:s3:::b/*', condition: ${condition} })`)));
});

test('Null has no IfExists form: NullIfExists is SPARTA023', () => {
  const body = lambdaWith("  @Privilege({ actions: 's3:GetObject', resource: 'arn:aws:s3:::b/*', condition: { NullIfExists: { 'aws:TokenIssueTime': 'true' } } })");
  expectOnly(analyzeService(body), 'SPARTA023', lineOf(body, 'NullIfExists'));
});

test('a @Service tag key starting with aws: is SPARTA024', () => {
  const body = `@Service({ name: 'svc',
  tags: { 'aws:team': 'a' } })
export class A {
  @Lambda()
  run() {}
}`;
  expectOnly(analyzeService(body), 'SPARTA024', lineOf(body, 'aws:team'));
});

test('a @Lambda tag key starting with AWS: in any case is SPARTA024', () => {
  const body = lambdaWith('').replace('@Lambda()', "@Lambda({ tags: { 'AWS:cost': 'x' } })");
  expectOnly(analyzeService(body), 'SPARTA024', lineOf(body, 'AWS:cost'));
});

test("a @Service tag key under sparta's own prefix (the stack's identity) is SPARTA024", () => {
  const body = `@Service({ name: 'svc',
  tags: { 'sparta:project': 'mine' } })
export class A {
  @Lambda()
  run() {}
}`;
  const diagnostic = expectOnly(analyzeService(body), 'SPARTA024', lineOf(body, 'sparta:project'));
  assert.match(diagnostic.message, 'identity');
});

test('an @SNS topic string that is not a topic ARN is SPARTA025', () => {
  const body = lambdaWith("  @SNS({ topic: 'alerts' })");
  const diagnostic = expectOnly(analyzeService(body), 'SPARTA025', lineOf(body, "topic: 'alerts'"));
  assert.match(diagnostic.message, /not an SNS topic ARN/);
});

test('an @SNS topic ARN of another account and partition is accepted', () => {
  expectClean(analyzeService(lambdaWith("  @SNS({ topic: 'arn:aws-cn:sns:cn-north-1:210987654321:alerts.fifo' })")));
});

test('a role string that is not a role ARN is SPARTA025 at compile time', () => {
  const body = lambdaWith('').replace('@Lambda()', "@Lambda({ role: 'arn:aws:iam::123456789012:user/deployer' })");
  const diagnostic = expectOnly(analyzeService(body), 'SPARTA025', lineOf(body, 'role:'));
  assert.match(diagnostic.message, /not an IAM role ARN/);
});

test('a role ARN with a path is accepted', () => {
  expectClean(analyzeService(lambdaWith('').replace('@Lambda()', "@Lambda({ role: 'arn:aws:iam::123456789012:role/service/runner' })")));
});

test('the action * on a named resource is valid and warns of nothing', () => {
  expectClean(analyzeService(lambdaWith("  @Privilege({ actions: '*', resource: Ref('Topic') })")));
});

for (const action of ['*', 'iam:*', 's3:*']) {
  test(`${action} on resource * is a SPARTA026 warning at its line; the manifest is still produced`, () => {
    const body = lambdaWith(`  @Privilege({ actions: ['sns:Publish', '${action}'], resource: '*' })`);
    const result = analyzeService(body);
    const diagnostic = expectOnly(result, 'SPARTA026', lineOf(body, '@Privilege'));
    assert.is(diagnostic.severity, 'warning');
    assert.ok(result.manifest, 'a warning does not withhold the manifest');
    assert.equal(result.manifest.services[0].functions[0].privileges[0].actions, ['sns:Publish', action]);
    assert.match(diagnosticLines(result)[0], new RegExp(`^src/service.ts:${diagnostic.line}:\\d+ - warning SPARTA026: `));
  });
}

test('a narrower wildcard (s3:Get*) on resource * is no warning', () => {
  expectClean(analyzeService(lambdaWith("  @Privilege({ actions: 's3:Get*', resource: '*' })")));
});

for (const name of ['SPARTA_DISCOVERY', 'SPARTA_LOG_LEVEL']) {
  test(`${name} in environment is SPARTA027 (sparta sets it)`, () => {
    const body = lambdaWith('').replace('@Lambda()', `@Lambda({ environment: { ${name}: 'x' } })`);
    expectOnly(analyzeService(body), 'SPARTA027', lineOf(body, name));
  });
}

test('a log level outside debug|info|warn|error is SPARTA013', () => {
  const body = lambdaWith('').replace('@Lambda()', "@Lambda({ logLevel: 'verbose' })");
  expectOnly(analyzeService(body), 'SPARTA013', lineOf(body, 'verbose'));
});

test('@Resource({ Condition }) is no option (SPARTA013): sparta templates declare no conditions', () => {
  const body = `@Service({ name: 'svc' })
@Resource('Topic', { Type: 'AWS::SNS::Topic', Condition: 'IsProduction' })
export class A {
  @Lambda()
  run() {}
}`;
  const diagnostic = expectOnly(analyzeService(body), 'SPARTA013', lineOf(body, 'IsProduction'));
  assert.match(diagnostic.message, /no option `Condition`/);
});

test('options written as further arguments (the positional misreading of @CloudWatchEvent) are SPARTA013, not dropped', () => {
  const body = lambdaWith("  @CloudWatchEvent({ schedule: 'rate(5 minutes)' }, 'Nightly', 'sweeps')");
  const diagnostic = expectOnly(analyzeService(body), 'SPARTA013', lineOf(body, "'Nightly'"));
  assert.match(diagnostic.message, '@CloudWatchEvent takes one options object');
});

test.run();
