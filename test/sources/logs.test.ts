// @CloudWatchLogs: the subscription filter and the permission it waits for,
// every diagnostic, explain, the sample event, cfn-lint, and one provision
// through the real pipeline on moto.
import { GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsDecodedData, CloudWatchLogsEvent } from 'aws-lambda';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { sampleEvent } from '../../cli/events';
import { renderManifestMermaid } from '../../cli/explain/mermaid';
import { renderManifestText } from '../../cli/explain/text';
import { serializeTemplate } from '../../cli/template';
import { findings, lintTemplates, type LintRun } from '../helpers/cfn-lint';
import { runCli } from '../helpers/cli';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';
import { setup } from '../helpers/setup';
import { fnId, getAtt, ref, sha8 } from '../template/expect';
import { expectOneAt as expectOne, lineOf, manifestOf, templateOf } from './support';
import { writeSourceProject } from '../helpers/handmade';

const test = suite<MotoContext>('@CloudWatchLogs');

const IMPORTS = "import { Service, Resource, Lambda, CloudWatchLogs, Ref, GetAtt, Sub } from 'sparta';\n";

// `<Fn>LogFilter<h>`, h = sha8 of the key-sorted JSON of the group as written.
const ON_ERROR = fnId('alerts', 'AlertsOnError', 'Alerts', 'onError');
const ON_AUDIT = fnId('alerts', 'AlertsOnAudit', 'Alerts', 'onAudit');
const filterOf = (fn: string, group: unknown = ref('AppLogs')) => `${fn}LogFilter${sha8(JSON.stringify(group))}`;
const PATTERN = '{ $.level = "ERROR" }';

const BY_REF = `@Service({ name: 'alerts' })
@Resource('AppLogs', { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } })
export class Alerts {
  @Lambda()
  @CloudWatchLogs({ logGroup: Ref('AppLogs'), filterPattern: '${PATTERN}' })
  onError() {}
}`;

function logsPermission(fn: string, sourceArn: unknown) {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: { Action: 'lambda:InvokeFunction', FunctionName: getAtt(fn), Principal: 'logs.amazonaws.com', SourceArn: sourceArn, SourceAccount: ref('AWS::AccountId') },
  };
}

test('a Ref of a log group: a subscription filter on it, created after the permission', () => {
  const template = templateOf(BY_REF);
  const id = filterOf(ON_ERROR);
  assert.equal(template.Resources[id], {
    Type: 'AWS::Logs::SubscriptionFilter',
    DependsOn: [`${id}Permission`],
    Properties: { LogGroupName: ref('AppLogs'), FilterPattern: PATTERN, DestinationArn: getAtt(ON_ERROR) },
  });
});

test('the permission is for logs.amazonaws.com from the group\'s ARN and the account', () => {
  const template = templateOf(BY_REF);
  assert.equal(template.Resources[`${filterOf(ON_ERROR)}Permission`], logsPermission(ON_ERROR, getAtt('AppLogs')));
});

test('a group given by name: the filter takes the name, the permission an ARN built from it', () => {
  const template = templateOf(BY_REF.replace("Ref('AppLogs')", "'/aws/lambda/billing-charge'"));
  const id = filterOf(ON_ERROR, '/aws/lambda/billing-charge');
  assert.is(template.Resources[id].Properties?.LogGroupName, '/aws/lambda/billing-charge');
  assert.equal(
    template.Resources[`${id}Permission`],
    logsPermission(ON_ERROR, { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/lambda/billing-charge:*' }),
  );
});

test('no filterPattern sends every event: FilterPattern is the empty pattern', () => {
  const template = templateOf(BY_REF.replace(`, filterPattern: '${PATTERN}'`, ''));
  assert.is(template.Resources[filterOf(ON_ERROR)].Properties?.FilterPattern, '');
});

test('a new filter pattern keeps every logical ID (CloudFormation updates the filter in place)', () => {
  const before = Object.keys(templateOf(BY_REF).Resources).sort();
  const after = Object.keys(templateOf(BY_REF.replace('"ERROR"', '"WARN"')).Resources).sort();
  assert.equal(after, before);
});

test('discover() lists the group: it is in the function\'s discovery document', () => {
  const template = templateOf(BY_REF);
  const variables = (template.Resources[ON_ERROR].Properties?.Environment as { Variables: Record<string, { 'Fn::Sub': string }> }).Variables;
  const document = JSON.parse(variables.SPARTA_DISCOVERY['Fn::Sub']);
  assert.equal(document.resources.AppLogs, { type: 'AWS::Logs::LogGroup', ref: '${AppLogs}', attributes: {} });
});

const TWO_FUNCTIONS = `@Service({ name: 'alerts' })
@Resource('AppLogs', { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/acme/app' } })
export class Alerts {
  @Lambda()
  @CloudWatchLogs({ logGroup: Ref('AppLogs'), filterPattern: 'ERROR' })
  onError() {}

  @Lambda()
  @CloudWatchLogs({ logGroup: '/acme/app', filterPattern: 'AUDIT' })
  onAudit() {}
}`;

test('two functions on one group: two subscription filters (a group takes two)', () => {
  const template = templateOf(TWO_FUNCTIONS);
  const filters = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::Logs::SubscriptionFilter').sort();
  assert.equal(filters, [filterOf(ON_AUDIT, '/acme/app'), filterOf(ON_ERROR)].sort());
});

// ---- diagnostics ---------------------------------------------------------

const onGroup = (decorator: string, resources = "@Resource('AppLogs', { Type: 'AWS::Logs::LogGroup' })") => `@Service({ name: 'alerts' })
${resources}
export class Alerts {
  @Lambda()
  ${decorator}
  onError() {}
}`;

test('a Ref to a resource that is not a log group is SPARTA032', () => {
  const body = onGroup("@CloudWatchLogs({ logGroup: Ref('AppLogs') })", "@Resource('AppLogs', { Type: 'AWS::S3::Bucket' })");
  assert.match(expectOne(body, 'SPARTA032', lineOf(body, 'logGroup:')).message, 'AWS::S3::Bucket');
});

test('a log group ARN is SPARTA013: a subscription filter takes the name', () => {
  const body = onGroup("@CloudWatchLogs({ logGroup: 'arn:aws:logs:us-east-1:123456789012:log-group:/acme/app:*' })");
  assert.match(expectOne(body, 'SPARTA013', lineOf(body, 'logGroup:')).hint ?? '', 'not its ARN');
});

test('GetAtt of the group is SPARTA013, which suggests its Ref', () => {
  const body = onGroup("@CloudWatchLogs({ logGroup: GetAtt('AppLogs', 'Arn') })");
  assert.match(expectOne(body, 'SPARTA013', lineOf(body, 'logGroup:')).hint ?? '', "Ref('AppLogs')");
});

test('a filter pattern over 1024 characters is SPARTA013 at `filterPattern`', () => {
  const body = onGroup(`@CloudWatchLogs({ logGroup: Ref('AppLogs'),\n    filterPattern: '${'x'.repeat(1025)}' })`);
  expectOne(body, 'SPARTA013', lineOf(body, 'filterPattern:'));
});

test('two @CloudWatchLogs of one function on one group are SPARTA013 at the second', () => {
  const body = onGroup("@CloudWatchLogs({ logGroup: Ref('AppLogs'), filterPattern: 'ERROR' })\n  @CloudWatchLogs({ logGroup: Ref('AppLogs'), filterPattern: 'WARN' })");
  assert.match(expectOne(body, 'SPARTA013', lineOf(body, "'WARN'")).hint ?? '', '?ERROR ?WARN');
});

test('a third subscription filter on one group is SPARTA036, at the third', () => {
  const body = `${TWO_FUNCTIONS.slice(0, -1)}
  @Lambda()
  @CloudWatchLogs({ logGroup: Ref('AppLogs'), filterPattern: 'DEBUG' })
  onDebug() {}
}`;
  const diagnostic = expectOne(body, 'SPARTA036', lineOf(body, "'DEBUG'"));
  assert.match(diagnostic.message, 'at most 2');
  assert.match(diagnostic.message, `Alerts.onError at src/service.ts:${lineOf(body, "'ERROR'")}`);
});

test('a subscription filter the user declares counts toward the two: with two @CloudWatchLogs it is SPARTA036', () => {
  const body = `${TWO_FUNCTIONS.slice(0, -1).replace(
    "@Resource('AppLogs'",
    "@Resource('Archive', { Type: 'AWS::Logs::SubscriptionFilter', Properties: { LogGroupName: Ref('AppLogs'), FilterPattern: '', DestinationArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/archive', RoleArn: 'arn:aws:iam::123456789012:role/archive' } })\n@Resource('AppLogs'",
  )}}`;
  assert.match(expectOne(body, 'SPARTA036', lineOf(body, "'AUDIT'")).message, "@Resource('Archive')");
});

// ---- explain and samples -------------------------------------------------

test('explain shows the group in the row, the pattern beneath, and a subscription filter edge', () => {
  const manifest = manifestOf(BY_REF);
  const text = renderManifestText(manifest);
  assert.match(text, 'logs Ref(AppLogs) (filtered)');
  assert.match(text, `logs Ref(AppLogs) (filtered): filter pattern ${JSON.stringify(PATTERN)}`);
  assert.match(renderManifestMermaid(manifest), 'alerts_res_AppLogs -->|subscription filter| alerts_fn_Alerts_onError');
});

test('explain says "every event" when there is no pattern', () => {
  assert.match(renderManifestText(manifestOf(BY_REF.replace(`, filterPattern: '${PATTERN}'`, ''))), 'logs Ref(AppLogs): every event');
});

test('`sparta event logs` carries base64 of gzipped JSON, as CloudWatch Logs sends it, tailored with the group', () => {
  const event = sampleEvent('logs', { group: '/acme/app' }) as CloudWatchLogsEvent;
  const decoded = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as CloudWatchLogsDecodedData;
  assert.is(decoded.messageType, 'DATA_MESSAGE');
  assert.is(decoded.logGroup, '/acme/app');
  assert.is(decoded.owner, '123456789012');
  assert.is(decoded.logEvents.length, 2);
  assert.ok(decoded.logEvents.every((logEvent) => /^\d{56}$/.test(logEvent.id) && typeof logEvent.timestamp === 'number'));
  assert.is(JSON.parse(decoded.logEvents[0].message).level, 'ERROR');
});

// ---- cfn-lint ---------------------------------------------------------------

const lint: { dir: string; files: Record<string, string>; run?: LintRun } = { dir: '', files: {} };
const LINTED: Record<string, string> = { 'by-ref': BY_REF, 'two-functions': TWO_FUNCTIONS, 'all-events': BY_REF.replace(`, filterPattern: '${PATTERN}'`, '') };

setup(test, async () => {
  lint.dir = mkdtempSync(path.join(tmpdir(), 'sparta-logs-lint-'));
  for (const [name, body] of Object.entries(LINTED)) {
    lint.files[name] = path.join(lint.dir, `${name}.json`);
    writeFileSync(lint.files[name], serializeTemplate(templateOf(body)));
  }
  lint.run = await lintTemplates(Object.values(lint.files));
});

for (const name of Object.keys(LINTED)) {
  test(`cfn-lint: ${name} has no error and no warning`, () => {
    assert.equal(findings(lint.run!, lint.files[name], 'Error'), []);
    assert.equal(findings(lint.run!, lint.files[name], 'Warning'), []);
  });
}

// ---- moto ------------------------------------------------------------------

withMoto(test);

test('moto: the stack provisions; the group and the permission exist (moto skips the subscription filter: asserted on the template above)', async (context) => {
  const body = BY_REF.replace("Properties: { RetentionInDays: 7 }", "Properties: { LogGroupName: '/acme/app', RetentionInDays: 7 }").replace('onError() {}', 'onError(event: CloudWatchLogsEvent) {\n    return event.awslogs.data.length;\n  }');
  const root = writeSourceProject(`import type { CloudWatchLogsEvent } from 'aws-lambda';\n${IMPORTS}${body}\n`);
  try {
    const aws = motoAws(context.moto);
    await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };
    const run = await runCli(['provision', '--s3-bucket', 'artifacts', '--project', path.join(root, 'tsconfig.json'), '--endpoint-url', context.moto.endpoint], env);
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, 'stack alerts: CREATE_COMPLETE');
    await expectMotoSkipped(aws.apis, 'alerts', readFileSync(path.join(root, '.sparta', 'alerts', 'template.json'), 'utf8'), ['AWS::Logs::SubscriptionFilter']);
    const physical = Object.fromEntries((await listStackResources(aws.apis.cloudFormation, 'alerts')).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
    assert.is(physical.AppLogs, '/acme/app');
    const policy = JSON.parse((await new LambdaClient(motoClientConfig(context.moto)).send(new GetPolicyCommand({ FunctionName: physical[ON_ERROR] }))).Policy ?? '{}');
    const [statement] = policy.Statement as { Principal: { Service: string }; Condition: Record<string, Record<string, string>> }[];
    assert.is(statement.Principal.Service, 'logs.amazonaws.com');
    // moto's GetAtt Arn of a log group lacks the `:*` that AWS's ends with.
    assert.equal(statement.Condition, { StringEquals: { 'AWS:SourceAccount': '123456789012' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:logs:us-east-1:123456789012:log-group:/acme/app' } });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.after(() => rmSync(lint.dir, { recursive: true, force: true }));

test.run();
