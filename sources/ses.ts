import { randomUUID } from 'node:crypto';
import type { SESEvent } from 'aws-lambda';
import { stableStringify } from '../cli/template/serialize';
import type { CfnResource, CfnValue } from '../cli/template/types';
import type { Expression, SourceLocation, StaticValue } from '../manifest/types';
import { DiagnosticCode } from '../transformer/codes';
import { describeExpression } from './describe';
import { checkUniqueName, isBefore, physicalName } from './names';
import { declaredTarget, referencedResource } from './targets';
import type { EventSource, OptionChecker, ServiceView, Validated } from './types';

// `@SES`: a receipt rule in a rule set that stores the mail in S3 (when a
// bucket is given) and then invokes the function, the permission that lets
// SES invoke it, and, for a bucket of the stack, the bucket policy that lets
// SES write to it. SES checks both when it creates the rule, so the rule
// depends on them.

export interface SESOptions {
  /** The rule set: a Ref of an `AWS::SES::ReceiptRuleSet` @Resource, or a rule set's name. */
  ruleSet: Expression;
  /** Addresses (`orders@example.com`) and domains (`example.com`, `.example.com` for its subdomains); every recipient of your verified domains when absent. */
  recipients?: string[];
  /** Store each message here before the function runs: a Ref of an `AWS::S3::Bucket` @Resource, or a bucket's name. */
  bucket?: Expression;
  /** The key prefix of the stored messages (with `bucket` only). */
  prefix?: string;
  /** The receipt rule's name; sparta deploys it as `<service>-<name>`. A generated one when absent. */
  name?: string;
  /** Default true. */
  enabled?: boolean;
  /** Scan for spam and viruses (the event's verdicts). Default false. */
  scanEnabled?: boolean;
  /** `Require` refuses mail not sent over TLS. Default `Optional`. */
  tlsPolicy?: 'Require' | 'Optional';
}

export interface SESEventManifest {
  kind: 'ses';
  ruleSet: Expression;
  recipients?: string[];
  bucket?: Expression;
  prefix?: string;
  name?: string;
  enabled?: boolean;
  scanEnabled?: boolean;
  tlsPolicy?: 'Require' | 'Optional';
  source: SourceLocation;
}

export const SES_PRINCIPAL = 'ses.amazonaws.com';
const WHAT = '@SES';
const TLS_POLICIES = ['Require', 'Optional'] as const;
// SES: ASCII letters, digits, `_`, `-` and `.`, starting and ending with a letter or digit, under 64 characters.
const RULE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
const RULE_NAME_DISALLOWED = /[^A-Za-z0-9_.-]/;
const RULE_NAME_LENGTH = 63;
// A rule set's name follows the same rule as a rule's.
const RULE_SET_NAME = RULE_NAME;
/** SES takes at most 100 recipients a rule. */
const MAX_RECIPIENTS = 100;
/** S3's longest key. */
const MAX_PREFIX = 1024;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DOMAIN = new RegExp(`^\\.?${LABEL}(?:\\.${LABEL})+$`);
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
// S3's bucket names: 3 to 63 lowercase letters, digits, dots and hyphens, a letter or digit at each end.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The receipt rule's physical name for `@SES({ name })`: `<service>-<name>`, under SES's 64 characters. */
export function receiptRuleName(service: string, name: string): string {
  return physicalName(service, name, RULE_NAME_LENGTH, RULE_NAME_DISALLOWED);
}

function isRecipient(recipient: string): boolean {
  if (recipient.length > 320) return false;
  const at = recipient.lastIndexOf('@');
  if (at < 0) return DOMAIN.test(recipient);
  return LOCAL_PART.test(recipient.slice(0, at)) && DOMAIN.test(recipient.slice(at + 1)) && !recipient.startsWith('.', at + 1);
}

/** A name string (checked with `shape`) or a Ref; GetAtt gives no name, so it is refused. */
function nameOrRef(value: StaticValue | undefined, key: string, c: OptionChecker, shape: { pattern: RegExp; rule: string; what: string }): Expression | undefined {
  const expression = c.expression(value, key, WHAT);
  if (expression === undefined) return undefined;
  if (typeof expression === 'string') {
    if (shape.pattern.test(expression)) return expression;
    c.fail(DiagnosticCode.INVALID_OPTION, key, `${WHAT} \`${key}\` ${JSON.stringify(expression)} is not a valid ${shape.what} name`, shape.rule);
    return undefined;
  }
  if ('Fn::GetAtt' in expression) {
    c.fail(DiagnosticCode.INVALID_OPTION, key, `${WHAT} \`${key}\` takes the ${shape.what}'s name, which GetAtt does not give`, `write Ref('${expression['Fn::GetAtt'][0]}') or the name`);
    return undefined;
  }
  return expression;
}

function validate(value: StaticValue | undefined, c: OptionChecker): Validated<SESEventManifest> | undefined {
  const options = c.object(value, WHAT);
  if (!options) return undefined;
  c.onlyKeys(options, ['ruleSet', 'recipients', 'bucket', 'prefix', 'name', 'enabled', 'scanEnabled', 'tlsPolicy'], WHAT);
  let valid = true;
  if (options.ruleSet === undefined) {
    c.fail(DiagnosticCode.INVALID_OPTION, undefined, `${WHAT} needs \`ruleSet\`: the receipt rule set its rule goes in`, "ruleSet: Ref('Inbound') (an AWS::SES::ReceiptRuleSet @Resource) or a rule set's name");
    return undefined;
  }
  const ruleSet = nameOrRef(options.ruleSet, 'ruleSet', c, { pattern: RULE_SET_NAME, what: 'rule set', rule: 'letters, digits, _ - . only, starting and ending with a letter or digit, under 64 characters' });
  if (ruleSet === undefined) return undefined;
  const result: Validated<SESEventManifest> = { kind: 'ses', ruleSet };

  if (options.recipients !== undefined) {
    const recipients = c.stringList(options, 'recipients', WHAT);
    if (recipients === undefined) valid = false;
    else if (recipients.length > MAX_RECIPIENTS) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'recipients', `${WHAT} \`recipients\` has ${recipients.length} entries; SES takes at most ${MAX_RECIPIENTS} a rule`, 'split them over several @SES rules, or name a domain');
      valid = false;
    } else {
      const bad = recipients.filter((recipient) => !isRecipient(recipient));
      if (bad.length > 0) {
        c.fail(DiagnosticCode.INVALID_OPTION, 'recipients', `${WHAT} \`recipients\` ${bad.map((r) => JSON.stringify(r)).join(', ')} ${bad.length === 1 ? 'is' : 'are'} neither an address nor a domain`, "an address (orders@example.com), a domain (example.com) or its subdomains (.example.com)");
        valid = false;
      } else result.recipients = recipients;
    }
  }

  if (options.bucket !== undefined) {
    const bucket = nameOrRef(options.bucket, 'bucket', c, { pattern: BUCKET_NAME, what: 'bucket', rule: '3-63 lowercase letters, digits, . and -, starting and ending with a letter or digit' });
    if (bucket === undefined) valid = false;
    else result.bucket = bucket;
  }
  const prefix = c.string(options, 'prefix', WHAT);
  if (prefix !== undefined) {
    if (options.bucket === undefined) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'prefix', `${WHAT} \`prefix\` needs \`bucket\`: it is the key prefix of the stored messages`, "add bucket: Ref('Mail'), or leave prefix out");
      valid = false;
    } else if (prefix.length < 1 || prefix.length > MAX_PREFIX) {
      c.fail(DiagnosticCode.INVALID_OPTION, 'prefix', `${WHAT} \`prefix\` must be 1 to ${MAX_PREFIX} characters, not ${prefix.length}`);
      valid = false;
    } else result.prefix = prefix;
  } else if (options.prefix !== undefined) valid = false;

  const name = c.string(options, 'name', WHAT);
  if (name !== undefined) {
    if (RULE_NAME.test(name)) result.name = name;
    else {
      c.fail(DiagnosticCode.INVALID_OPTION, 'name', `receipt rule name ${JSON.stringify(name)} is not valid`, 'letters, digits, _ - . only, starting and ending with a letter or digit, under 64 characters');
      valid = false;
    }
  } else if (options.name !== undefined) valid = false;

  for (const key of ['enabled', 'scanEnabled'] as const) {
    const flag = c.boolean(options, key, WHAT);
    if (flag !== undefined) result[key] = flag;
    else if (options[key] !== undefined) valid = false;
  }
  const tls = c.oneOf(options, 'tlsPolicy', WHAT, TLS_POLICIES);
  if (tls !== undefined) result.tlsPolicy = tls;
  else if (options.tlsPolicy !== undefined) valid = false;
  return valid ? result : undefined;
}

/** The declared `AWS::S3::BucketPolicy` whose `Bucket` is `Ref(bucket)`, by logical ID. */
function declaredPolicyId(bucket: string, resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>): string | undefined {
  const wanted = stableStringify({ Ref: bucket });
  return Object.keys(resources).find((id) => resources[id].Type === 'AWS::S3::BucketPolicy' && stableStringify(resources[id].Properties?.Bucket) === wanted);
}

function checkInService(event: SESEventManifest, service: ServiceView, check: OptionChecker): void {
  declaredTarget(event.ruleSet, service, check, { key: 'ruleSet', what: WHAT, types: ['AWS::SES::ReceiptRuleSet'] });
  checkUniqueName(event, service, check, { kinds: ['ses'], what: WHAT, noun: 'receipt rule' });
  if (event.bucket === undefined) return;
  const bucket = declaredTarget(event.bucket, service, check, { key: 'bucket', what: WHAT, types: ['AWS::S3::Bucket'] });
  if (!bucket) return;
  // A bucket has one policy: sparta writes it only for one rule. For more,
  // the user declares it and each rule adds its statement there.
  const resources = Object.fromEntries(service.resources.map((resource) => [resource.logicalId, resource.declaration as { Type: string; Properties?: Record<string, unknown> }]));
  if (declaredPolicyId(bucket.logicalId, resources) !== undefined) return;
  const earlier = service.functions.flatMap((fn) => fn.events.map((other) => ({ fn, other }))).find(
    ({ other }) => other !== event && other.kind === 'ses' && stableStringify((other as SESEventManifest).bucket) === stableStringify(event.bucket) && isBefore(other.source, event.source),
  );
  if (!earlier) return;
  check.fail(
    DiagnosticCode.SHARED_BUCKET_POLICY,
    'bucket',
    `${WHAT} stores mail in ${bucket.logicalId}, as ${earlier.fn.id} does at ${earlier.other.source.file}:${earlier.other.source.line}, and a bucket has one policy`,
    `declare it: @Resource('${bucket.logicalId}Policy', { Type: 'AWS::S3::BucketPolicy', Properties: { Bucket: Ref('${bucket.logicalId}'), PolicyDocument: { Version: '2012-10-17', Statement: [] } } }); each @SES adds its statement to it`,
  );
}

/** `arn:<partition>:ses:<region>:<account>:receipt-rule-set/<set>:receipt-rule/*`: any rule of the set. */
function ruleSetRulesArn(ruleSet: Expression): CfnValue {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':receipt-rule-set/', ruleSet as CfnValue, ':receipt-rule/*'],
    ],
  };
}

/** Lets SES put the rule set's mail under `prefix` in `bucket`, for this account only (AWS's documented statement). */
function putStatement(bucket: string, prefix: string | undefined, ruleSet: Expression): CfnValue {
  return {
    Effect: 'Allow',
    Principal: { Service: SES_PRINCIPAL },
    Action: 's3:PutObject',
    Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, `/${prefix ?? ''}*`]] },
    Condition: {
      StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'AWS:SourceArn': ruleSetRulesArn(ruleSet) },
    },
  };
}

function appendStatement(policy: CfnResource, statement: CfnValue): void {
  const properties = (policy.Properties ??= {});
  const document = (properties.PolicyDocument ??= { Version: '2012-10-17', Statement: [] }) as Record<string, CfnValue>;
  const existing = document.Statement;
  document.Statement = existing === undefined ? [statement] : Array.isArray(existing) ? [...existing, statement] : [existing, statement];
}

export const ses: EventSource<SESEventManifest> = {
  decorator: 'SES',
  kinds: ['ses'],
  validate,
  checkInService,
  idPart: 'ReceiptRule',
  // The rule set cannot change in place. A named rule is also its name (a
  // new one is a new rule under a new name, sources/names.ts); recipients,
  // the bucket and the flags update it in place.
  identity: (event) => (event.name === undefined ? { ruleSet: event.ruleSet } : { ruleSet: event.ruleSet, name: event.name }),
  template(event, { id, service, target, resources, permission }) {
    const permissionId = `${id}Permission`;
    const out: Record<string, CfnResource> = {
      [permissionId]: permission(SES_PRINCIPAL, { sourceAccount: { Ref: 'AWS::AccountId' } }),
    };
    const dependsOn = [permissionId];
    const actions: CfnValue[] = [];
    if (event.bucket !== undefined) {
      const s3Action: Record<string, CfnValue> = { BucketName: event.bucket as CfnValue };
      if (event.prefix !== undefined) s3Action.ObjectKeyPrefix = event.prefix;
      actions.push({ S3Action: s3Action });
      // SES writes a test object when the rule is created: the policy must be in place first.
      const bucket = referencedResource(event.bucket);
      const declared = bucket === undefined ? undefined : resources[bucket];
      if (bucket !== undefined && declared?.Type === 'AWS::S3::Bucket' && typeof event.bucket !== 'string' && 'Ref' in event.bucket) {
        const statement = putStatement(bucket, event.prefix, event.ruleSet);
        const policyId = declaredPolicyId(bucket, resources);
        if (policyId !== undefined) {
          appendStatement(resources[policyId], statement);
          dependsOn.push(policyId);
        } else {
          out[`${id}BucketPolicy`] = {
            Type: 'AWS::S3::BucketPolicy',
            Properties: { Bucket: { Ref: bucket }, PolicyDocument: { Version: '2012-10-17', Statement: [statement] } },
          };
          dependsOn.push(`${id}BucketPolicy`);
        }
      }
    }
    actions.push({ LambdaAction: { FunctionArn: target.functionArn, InvocationType: 'Event' } });
    const rule: Record<string, CfnValue> = {};
    if (event.name !== undefined) rule.Name = receiptRuleName(service, event.name);
    rule.Enabled = event.enabled ?? true;
    if (event.recipients !== undefined) rule.Recipients = event.recipients;
    if (event.scanEnabled !== undefined) rule.ScanEnabled = event.scanEnabled;
    if (event.tlsPolicy !== undefined) rule.TlsPolicy = event.tlsPolicy;
    rule.Actions = actions;
    out[id] = { Type: 'AWS::SES::ReceiptRule', DependsOn: dependsOn, Properties: { RuleSetName: event.ruleSet as CfnValue, Rule: rule } };
    return { resources: out };
  },
  references: (event) => (event.bucket === undefined ? [event.ruleSet] : [event.ruleSet, event.bucket]),
  describe: (event) => `ses ${event.recipients === undefined ? 'all recipients' : event.recipients.join(', ')}`,
  details(event) {
    const parts = [`rule set ${describeExpression(event.ruleSet)}`];
    if (event.bucket !== undefined) parts.push(`stored in ${describeExpression(event.bucket)}${event.prefix === undefined ? '' : ` under ${JSON.stringify(event.prefix)}`}`);
    if (event.name !== undefined) parts.push(`receipt rule name ${JSON.stringify(event.name)}`);
    if (event.enabled === false) parts.push('disabled');
    if (event.scanEnabled) parts.push('spam and virus scan');
    if (event.tlsPolicy === 'Require') parts.push('TLS required');
    return parts;
  },
  edge: (event) => ({ from: event.ruleSet, label: 'receipt rule' }),
  samples: {
    ses: {
      sampleValues: (event, { functionName }) => ({ ...(event.recipients?.[0] !== undefined && { recipient: event.recipients[0] }), function: functionName }),
      decorator: '@SES({ ruleSet, recipients })',
      typeName: 'SESEvent',
      create({ region, account, now, values }): SESEvent {
        const recipient = values.recipient ?? 'orders@example.com';
        const sender = values.sender ?? 'customer@example.org';
        const subject = values.subject ?? 'Order 1234';
        const messageId = randomUUID().replace(/-/g, '').slice(0, 20) + 'example';
        const sent = new Date(now.getTime() - 1000);
        const date = sent.toUTCString().replace('GMT', '+0000');
        const verdict = { status: 'PASS' as const };
        const functionName = values.function ?? 'hello-sparta-Mail-receive';
        return {
          Records: [
            {
              eventSource: 'aws:ses',
              eventVersion: '1.0',
              ses: {
                mail: {
                  timestamp: sent.toISOString(),
                  source: sender,
                  messageId,
                  destination: [recipient],
                  headersTruncated: false,
                  headers: [
                    { name: 'Return-Path', value: `<${sender}>` },
                    { name: 'From', value: sender },
                    { name: 'Date', value: date },
                    { name: 'To', value: recipient },
                    { name: 'Message-ID', value: `<${messageId}@mail.example.org>` },
                    { name: 'Subject', value: subject },
                    { name: 'MIME-Version', value: '1.0' },
                    { name: 'Content-Type', value: 'text/plain; charset=UTF-8' },
                  ],
                  commonHeaders: {
                    returnPath: sender,
                    from: [sender],
                    date,
                    to: [recipient],
                    messageId: `<${messageId}@mail.example.org>`,
                    subject,
                  },
                },
                receipt: {
                  timestamp: now.toISOString(),
                  processingTimeMillis: 574,
                  recipients: [recipient],
                  spamVerdict: verdict,
                  virusVerdict: verdict,
                  spfVerdict: verdict,
                  dkimVerdict: verdict,
                  dmarcVerdict: verdict,
                  dmarcPolicy: 'none',
                  action: {
                    type: 'Lambda',
                    functionArn: `arn:aws:lambda:${region}:${account}:function:${functionName}`,
                    invocationType: 'Event',
                  },
                },
              },
            },
          ],
        };
      },
    },
  },
  eventTypes: ['SESEvent'],
};
