import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analyzeSources } from '../helpers/inline-project';

// Lambda refuses an SQS event source mapping whose queue hides a message for
// less time than the function may run ("Queue visibility timeout: 30 seconds
// is less than Function timeout"): when the queue is a @Resource of the
// service, the analysis compares the two before anything is deployed.

const test = suite('sources: @SQS visibility timeout');

const FILE = 'src/worker.ts';

/** A service with queue `Jobs` declared by `resource`, polled by a function declared `@Lambda(lambda)`. */
function analyze(resource: string, lambda: string, queue = "Ref('Jobs')") {
  const text = [
    "import { Service, Resource, Lambda, SQS, Ref, GetAtt } from 'sparta';",
    "@Service({ name: 'shop' })",
    resource,
    'export class Worker {',
    `  @Lambda(${lambda})`,
    `  @SQS({ queue: ${queue} })`,
    '  run() {}',
    '}',
    '',
  ].join('\n');
  return analyzeSources({ [FILE]: text });
}

/** Line 6 holds `@SQS(...)` in the source above. */
const SQS_LINE = 6;

function expectTooShort(result: ReturnType<typeof analyze>, message: RegExp, hint: RegExp) {
  const all = JSON.stringify(result.diagnostics.map((d) => [d.code, d.line, d.message]));
  assert.is(result.manifest, undefined, 'no manifest when there are diagnostics');
  assert.is(result.diagnostics.length, 1, all);
  const [diagnostic] = result.diagnostics;
  assert.is(diagnostic.code, 'SPARTA033');
  assert.is(diagnostic.file, FILE);
  assert.is(diagnostic.line, SQS_LINE);
  assert.match(diagnostic.message, message);
  assert.match(diagnostic.hint ?? '', hint);
}

test("a queue without VisibilityTimeout (30 s) polled by a 60 s function is SPARTA033 at @SQS, suggesting 360 s", () => {
  expectTooShort(
    analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue' })", '{ timeout: 60 }'),
    /Jobs.*VisibilityTimeout of 30 seconds \(the default\).*Worker\.run's timeout of 60 seconds/,
    /VisibilityTimeout: 360.*six times/,
  );
});

test('a queue with VisibilityTimeout 10 polled by a function of the default timeout (3 s) is fine', () => {
  const result = analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 10 } })", '');
  assert.equal(result.diagnostics, []);
});

test('a queue with VisibilityTimeout 2 polled by a function of the default timeout (3 s) is SPARTA033', () => {
  expectTooShort(
    analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 2 } })", ''),
    /VisibilityTimeout of 2 seconds is less than Worker\.run's timeout of 3 seconds/,
    /VisibilityTimeout: 18/,
  );
});

test('a visibility timeout equal to the function timeout is accepted, as Lambda accepts it', () => {
  const result = analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 120 } })", '{ timeout: 120 }');
  assert.equal(result.diagnostics, []);
});

test('a visibility timeout written as a string is read as its number', () => {
  expectTooShort(
    analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: '45' } })", '{ timeout: 90 }'),
    /VisibilityTimeout of 45 seconds is less than Worker\.run's timeout of 90 seconds/,
    /VisibilityTimeout: 540/,
  );
});

test('a visibility timeout that is no literal (a Ref) is not checked', () => {
  const result = analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: Ref('AWS::NoValue') } })", '{ timeout: 900 }');
  assert.equal(result.diagnostics, []);
});

test('a FIFO queue is held to the same rule', () => {
  expectTooShort(
    analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true } })", '{ timeout: 31 }'),
    /30 seconds \(the default\).*31 seconds/,
    /VisibilityTimeout: 186/,
  );
});

test('a GetAtt of the queue is checked as its Ref is', () => {
  expectTooShort(
    analyze("@Resource('Jobs', { Type: 'AWS::SQS::Queue' })", '{ timeout: 300 }', "GetAtt('Jobs', 'Arn')"),
    /30 seconds \(the default\).*300 seconds/,
    /VisibilityTimeout: 1800/,
  );
});

test('a queue given by ARN is not in the stack and is not checked', () => {
  const result = analyze("@Resource('Other', { Type: 'AWS::SNS::Topic' })", '{ timeout: 900 }', "'arn:aws:sqs:us-east-1:123456789012:jobs'");
  assert.equal(result.diagnostics, []);
});

test.run();
