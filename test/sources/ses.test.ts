// @SES, from the decorator as a user writes it to the template, explain's
// rendering and the sample event. moto's CloudFormation silently skips SES
// receipt rules and rule sets (REFERENCE.md), so the template is the test:
// each expected resource is written out by hand, and cfn-lint checks them all.
import type { SESEvent } from 'aws-lambda';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Template } from '../../cli/template';
import { SAMPLE_EVENTS, sourceOf } from '../../sources';
import { receiptRuleName, ses } from '../../sources/ses';
import { expectLintClean } from '../helpers/cfn-lint';
import { fnId, getAtt, ref, sha8 } from '../template/expect';
import { expectOne, lineOf, serviceOf, templateOf } from './support';

const test = suite('sources: @SES');

const IMPORTS = "import { Service, Resource, Lambda, SES, CloudWatchEvent, Ref, GetAtt, Sub } from 'sparta';\n";

const mailroom = (decorator: string, extra = '') => `@Service({ name: 'mail' })
@Resource('Inbound', { Type: 'AWS::SES::ReceiptRuleSet' })
@Resource('Mail', { Type: 'AWS::S3::Bucket' })
${extra}export class Mailroom {
  @Lambda()
  ${decorator}
  receive() {}
}`;

const FN = fnId('mail', 'MailroomReceive', 'Mailroom', 'receive');
const RULE = `${FN}ReceiptRule${sha8('{"ruleSet":{"Ref":"Inbound"}}')}`;
const ACCOUNT = ref('AWS::AccountId');
const PERMISSION = {
  Type: 'AWS::Lambda::Permission',
  Properties: { Action: 'lambda:InvokeFunction', FunctionName: getAtt(FN), Principal: 'ses.amazonaws.com', SourceAccount: ACCOUNT },
};
/** AWS's statement for SES writing to a bucket, scoped to this account and to the rules of one rule set. */
function putStatement(bucket: string, keys: string, ruleSet: unknown) {
  return {
    Effect: 'Allow',
    Principal: { Service: 'ses.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: { 'Fn::Join': ['', [getAtt(bucket), keys]] },
    Condition: {
      StringEquals: { 'AWS:SourceAccount': ACCOUNT },
      ArnLike: {
        'AWS:SourceArn': {
          'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':ses:', ref('AWS::Region'), ':', ACCOUNT, ':receipt-rule-set/', ruleSet, ':receipt-rule/*']],
        },
      },
    },
  };
}

const linted: Record<string, Template> = {};

test("the issue's decorator: a rule in the rule set that stores the mail, then invokes the function; its permission and the bucket's policy", () => {
  const template = templateOf(mailroom("@SES({ recipients: ['orders@example.com'], ruleSet: Ref('Inbound'), bucket: Ref('Mail'), prefix: 'raw/' })"));
  linted.full = template;
  assert.equal(template.Resources[RULE], {
    Type: 'AWS::SES::ReceiptRule',
    DependsOn: [`${RULE}Permission`, `${RULE}BucketPolicy`],
    Properties: {
      RuleSetName: ref('Inbound'),
      Rule: {
        Enabled: true,
        Recipients: ['orders@example.com'],
        Actions: [
          { S3Action: { BucketName: ref('Mail'), ObjectKeyPrefix: 'raw/' } },
          { LambdaAction: { FunctionArn: getAtt(FN), InvocationType: 'Event' } },
        ],
      },
    },
  });
  assert.equal(template.Resources[`${RULE}Permission`], PERMISSION);
  assert.equal(template.Resources[`${RULE}BucketPolicy`], {
    Type: 'AWS::S3::BucketPolicy',
    Properties: { Bucket: ref('Mail'), PolicyDocument: { Version: '2012-10-17', Statement: [putStatement('Mail', '/raw/*', ref('Inbound'))] } },
  });
  const added = Object.keys(template.Resources).filter((id) => id.startsWith(`${FN}ReceiptRule`));
  assert.equal(added.sort(), [RULE, `${RULE}BucketPolicy`, `${RULE}Permission`]);
});

test('without a bucket the rule only invokes the function and depends on its permission alone', () => {
  const template = templateOf(mailroom("@SES({ ruleSet: 'inbound-mail', recipients: ['example.com', '.example.com'] })"));
  linted.plain = template;
  const rule = `${FN}ReceiptRule${sha8('{"ruleSet":"inbound-mail"}')}`;
  assert.equal(template.Resources[rule], {
    Type: 'AWS::SES::ReceiptRule',
    DependsOn: [`${rule}Permission`],
    Properties: {
      RuleSetName: 'inbound-mail',
      Rule: { Enabled: true, Recipients: ['example.com', '.example.com'], Actions: [{ LambdaAction: { FunctionArn: getAtt(FN), InvocationType: 'Event' } }] },
    },
  });
  assert.not.ok(Object.values(template.Resources).some((resource) => resource.Type === 'AWS::S3::BucketPolicy'));
});

test('enabled, scanEnabled and tlsPolicy reach the rule', () => {
  const template = templateOf(mailroom("@SES({ ruleSet: Ref('Inbound'), enabled: false, scanEnabled: true, tlsPolicy: 'Require' })"));
  linted.flags = template;
  const rule = template.Resources[RULE].Properties!.Rule as Record<string, unknown>;
  assert.equal([rule.Enabled, rule.ScanEnabled, rule.TlsPolicy, rule.Recipients], [false, true, 'Require', undefined]);
});

test("a bucket policy declared with @Resource gains the rule's statement, keeps its own, and the rule depends on it; sparta adds no second policy", () => {
  const extra = `@Resource('MailPolicy', { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: Ref('Mail'), PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: Sub('\${Mail.Arn}/*'), Condition: { Bool: { 'aws:SecureTransport': false } } }] } } })\n`;
  const template = templateOf(mailroom("@SES({ ruleSet: Ref('Inbound'), bucket: Ref('Mail') })", extra));
  linted.declaredPolicy = template;
  assert.equal(template.Resources.MailPolicy.Properties!.PolicyDocument, {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: { 'Fn::Sub': '${Mail.Arn}/*' }, Condition: { Bool: { 'aws:SecureTransport': false } } },
      putStatement('Mail', '/*', ref('Inbound')),
    ],
  });
  assert.equal(template.Resources[RULE].DependsOn, [`${RULE}Permission`, 'MailPolicy']);
  assert.is(Object.values(template.Resources).filter((resource) => resource.Type === 'AWS::S3::BucketPolicy').length, 1);
});

test('a bucket outside the stack (a name) gets the S3 action and no policy: its owner grants SES', () => {
  const template = templateOf(mailroom("@SES({ ruleSet: Ref('Inbound'), bucket: 'company-mail-archive', prefix: 'orders/' })"));
  const rule = template.Resources[RULE];
  assert.equal((rule.Properties!.Rule as { Actions: unknown[] }).Actions[0], { S3Action: { BucketName: 'company-mail-archive', ObjectKeyPrefix: 'orders/' } });
  assert.equal(rule.DependsOn, [`${RULE}Permission`]);
  assert.not.ok(Object.values(template.Resources).some((resource) => resource.Type === 'AWS::S3::BucketPolicy'));
});

test('a named receipt rule is <service>-<name>; its ID follows the rule set and the name, not the recipients', () => {
  const template = templateOf(mailroom("@SES({ ruleSet: Ref('Inbound'), name: 'orders', recipients: ['orders@example.com'] })"));
  const rule = `${FN}ReceiptRule${sha8('{"name":"orders","ruleSet":{"Ref":"Inbound"}}')}`;
  assert.is((template.Resources[rule].Properties!.Rule as { Name: string }).Name, 'mail-orders');
  const event = { kind: 'ses' as const, ruleSet: { Ref: 'Inbound' }, source: { file: 'a.ts', line: 1, column: 1 } };
  assert.equal(ses.identity({ ...event, recipients: ['a@example.com'] }), ses.identity({ ...event, recipients: ['b@example.com'] }));
  assert.is.not(JSON.stringify(ses.identity({ ...event, name: 'a' })), JSON.stringify(ses.identity({ ...event, name: 'b' })));
  assert.is.not(JSON.stringify(ses.identity({ ...event, ruleSet: 'other' })), JSON.stringify(ses.identity(event)));
});

test('a receipt rule name over 63 characters with its service is cut, with the hash of the whole', () => {
  const name = 'n'.repeat(60);
  const full = `mail-${name}`;
  assert.is(receiptRuleName('mail', name), `${full.slice(0, 54)}-${sha8(full)}`);
  assert.is(receiptRuleName('mail', name).length, 63);
  assert.is(receiptRuleName('mail', 'orders'), 'mail-orders');
});

test('the templates are cfn-lint clean', async () => {
  assert.is(Object.keys(linted).length, 4, 'the tests above ran first');
  await expectLintClean(linted);
});

test('discover() is told about the rule set and the bucket', () => {
  const service = serviceOf(mailroom("@SES({ ruleSet: Ref('Inbound'), bucket: Ref('Mail') })"));
  const [event] = service.functions[0].events;
  assert.equal(sourceOf(event).references(event), [{ Ref: 'Inbound' }, { Ref: 'Mail' }]);
});

test('explain: the recipients in the row, the rule set, bucket and flags under it, an edge from the rule set', () => {
  const service = serviceOf(mailroom("@SES({ ruleSet: Ref('Inbound'), recipients: ['orders@example.com', 'example.org'], bucket: Ref('Mail'), prefix: 'raw/', name: 'orders', scanEnabled: true, tlsPolicy: 'Require' })"));
  const [event] = service.functions[0].events;
  const source = sourceOf(event);
  assert.is(source.describe(event), 'ses orders@example.com, example.org');
  assert.equal(source.details(event), ['rule set Ref(Inbound)', 'stored in Ref(Mail) under "raw/"', 'receipt rule name "orders"', 'spam and virus scan', 'TLS required']);
  assert.equal(source.edge(event), { from: { Ref: 'Inbound' }, label: 'receipt rule' });
  assert.is(source.describe({ ...event, recipients: undefined } as typeof event), 'ses all recipients');
});

// ---- diagnostics: code, file and line

test('a recipient that is neither an address nor a domain is SPARTA013 at recipients', () => {
  const body = mailroom("@SES({ ruleSet: Ref('Inbound'), recipients: ['orders@', 'not a domain'] })");
  const diagnostic = expectOne(body, 'SPARTA013', '@SES');
  assert.match(diagnostic.message, '"orders@", "not a domain" are neither an address nor a domain');
});

test('more than 100 recipients is SPARTA013', () => {
  const list = Array.from({ length: 101 }, (_, i) => `'u${i}@example.com'`).join(', ');
  const diagnostic = expectOne(mailroom(`@SES({ ruleSet: Ref('Inbound'), recipients: [${list}] })`), 'SPARTA013', '@SES');
  assert.match(diagnostic.message, '101 entries; SES takes at most 100');
});

test('a prefix without a bucket is SPARTA013', () => {
  const diagnostic = expectOne(mailroom("@SES({ ruleSet: Ref('Inbound'), prefix: 'raw/' })"), 'SPARTA013', '@SES');
  assert.match(diagnostic.message, '`prefix` needs `bucket`');
});

test('a prefix over 1024 characters is SPARTA013', () => {
  const diagnostic = expectOne(mailroom(`@SES({ ruleSet: Ref('Inbound'), bucket: Ref('Mail'), prefix: '${'p'.repeat(1025)}' })`), 'SPARTA013', '@SES');
  assert.match(diagnostic.message, '1 to 1024 characters, not 1025');
});

test('no ruleSet is SPARTA013', () => {
  const diagnostic = expectOne(mailroom("@SES({ recipients: ['orders@example.com'] })"), 'SPARTA013', '@SES');
  assert.match(diagnostic.message, 'needs `ruleSet`');
});

test('a tlsPolicy SES does not know is SPARTA013', () => {
  expectOne(mailroom("@SES({ ruleSet: Ref('Inbound'), tlsPolicy: 'Always' })"), 'SPARTA013', '@SES');
});

test('a receipt rule name SES refuses is SPARTA013', () => {
  const diagnostic = expectOne(mailroom("@SES({ ruleSet: Ref('Inbound'), name: 'orders-' })"), 'SPARTA013', '@SES');
  assert.match(diagnostic.message, 'receipt rule name "orders-" is not valid');
});

test('a GetAtt as the bucket is SPARTA013: the S3 action takes its name', () => {
  const diagnostic = expectOne(mailroom("@SES({ ruleSet: Ref('Inbound'), bucket: GetAtt('Mail', 'Arn') })"), 'SPARTA013', '@SES');
  assert.match(diagnostic.hint ?? '', "Ref('Mail')");
});

test('a bucket name S3 refuses is SPARTA013', () => {
  expectOne(mailroom("@SES({ ruleSet: Ref('Inbound'), bucket: 'Mail_Archive' })"), 'SPARTA013', '@SES');
});

test('a ruleSet that names a resource of another type is SPARTA032', () => {
  const diagnostic = expectOne(mailroom("@SES({ ruleSet: Ref('Mail') })"), 'SPARTA032', '@SES');
  assert.match(diagnostic.message, 'names Mail, a AWS::S3::Bucket');
});

test('a bucket that names a resource of another type is SPARTA032', () => {
  expectOne(mailroom("@SES({ ruleSet: Ref('Inbound'), bucket: Ref('Inbound') })"), 'SPARTA032', '@SES');
});

test('two receipt rules of one name in a service are SPARTA037 at the second', () => {
  const body = `@Service({ name: 'mail' })
@Resource('Inbound', { Type: 'AWS::SES::ReceiptRuleSet' })
export class Mailroom {
  @Lambda()
  @SES({ ruleSet: Ref('Inbound'), name: 'orders' })
  receive() {}

  @Lambda()
  @SES({ ruleSet: 'other-set', name: 'orders', recipients: ['second@example.com'] })
  archive() {}
}`;
  const diagnostic = expectOne(body, 'SPARTA037', "recipients: ['second@example.com']");
  assert.match(diagnostic.message, `as Mailroom.receive does at src/service.ts:${lineOf(body, "name: 'orders' })")}`);
});

test('two @SES storing mail in one bucket of the stack with no declared policy is SPARTA038 at the second', () => {
  const body = `@Service({ name: 'mail' })
@Resource('Inbound', { Type: 'AWS::SES::ReceiptRuleSet' })
@Resource('Mail', { Type: 'AWS::S3::Bucket' })
export class Mailroom {
  @Lambda()
  @SES({ ruleSet: Ref('Inbound'), bucket: Ref('Mail'), prefix: 'orders/' })
  receive() {}

  @Lambda()
  @SES({ ruleSet: Ref('Inbound'), bucket: Ref('Mail'), prefix: 'returns/' })
  returns() {}
}`;
  const diagnostic = expectOne(body, 'SPARTA038', "prefix: 'returns/'");
  assert.match(diagnostic.hint ?? '', "@Resource('MailPolicy', { Type: 'AWS::S3::BucketPolicy'");
});

test('with the policy declared, two @SES on one bucket each add their statement to it', () => {
  const template = templateOf(`@Service({ name: 'mail' })
@Resource('Inbound', { Type: 'AWS::SES::ReceiptRuleSet' })
@Resource('Mail', { Type: 'AWS::S3::Bucket' })
@Resource('MailPolicy', { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: Ref('Mail'), PolicyDocument: { Version: '2012-10-17', Statement: [] } } })
export class Mailroom {
  @Lambda()
  @SES({ ruleSet: Ref('Inbound'), bucket: Ref('Mail'), prefix: 'orders/' })
  receive() {}

  @Lambda()
  @SES({ ruleSet: Ref('Inbound'), bucket: Ref('Mail'), prefix: 'returns/' })
  returns() {}
}`);
  const statements = (template.Resources.MailPolicy.Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
  assert.equal(statements, [putStatement('Mail', '/orders/*', ref('Inbound')), putStatement('Mail', '/returns/*', ref('Inbound'))]);
});

// ---- the sample

const NOW = new Date('2026-03-01T10:00:00.000Z');

test('the ses sample is one SESEvent record as SES delivers it to a Lambda action', () => {
  const event = SAMPLE_EVENTS.ses.create({ region: 'eu-west-1', account: '111122223333', now: NOW, values: {} }) as SESEvent;
  assert.is(SAMPLE_EVENTS.ses.typeName, 'SESEvent');
  const [record] = event.Records;
  assert.equal([record.eventSource, record.eventVersion], ['aws:ses', '1.0']);
  assert.is(record.ses.receipt.action.type, 'Lambda');
  assert.equal(record.ses.receipt.action, { type: 'Lambda', functionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:hello-sparta-Mail-receive', invocationType: 'Event' });
  assert.is(record.ses.receipt.timestamp, '2026-03-01T10:00:00.000Z');
  assert.equal(record.ses.mail.destination, record.ses.receipt.recipients);
});

test('values tailor the recipient, sender and subject wherever the event carries them', () => {
  const event = SAMPLE_EVENTS.ses.create({ region: 'us-east-1', account: '123456789012', now: NOW, values: { recipient: 'support@shop.example', sender: 'jane@example.net', subject: 'Refund' } }) as SESEvent;
  const { mail, receipt } = event.Records[0].ses;
  assert.equal([mail.source, mail.commonHeaders.from, mail.commonHeaders.returnPath], ['jane@example.net', ['jane@example.net'], 'jane@example.net']);
  assert.equal([mail.destination, mail.commonHeaders.to, receipt.recipients], [['support@shop.example'], ['support@shop.example'], ['support@shop.example']]);
  assert.is(mail.commonHeaders.subject, 'Refund');
  assert.equal(mail.headers.find((header) => header.name === 'Subject'), { name: 'Subject', value: 'Refund' });
});

test('a handler of @SES may take SESEvent', () => {
  assert.equal(ses.eventTypes, ['SESEvent']);
});

test.run();
