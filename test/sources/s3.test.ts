// @S3: what the decorator adds to the template (the bucket's notifications,
// merged with the user's own, and a permission the bucket waits for), every
// diagnostic it has, explain, the sample event, cfn-lint, and one provision
// through the real pipeline on moto.
import { GetPolicyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { S3Event } from 'aws-lambda';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { listStackResources } from '../../cli/converge/stack';
import { sampleEvent } from '../../cli/events';
import { renderManifestMermaid } from '../../cli/explain/mermaid';
import { renderManifestText } from '../../cli/explain/text';
import { localDiscoveryDocument } from '../../cli/invoke/discovery';
import { marshalTemplate, serializeTemplate } from '../../cli/template';
import { ErrorCode, SpartaError } from '../../cli/errors';
import type { Template } from '../../cli/template/types';
import { findings, lintTemplates, type LintRun } from '../helpers/cfn-lint';
import { runCli } from '../helpers/cli';
import { MOTO_CREDENTIALS, motoAws, motoClientConfig, withMoto, type MotoContext } from '../helpers/moto';
import { expectMotoSkipped } from '../helpers/moto-skips';
import { setup } from '../helpers/setup';
import { fnId, getAtt, ref, sha8 } from '../template/expect';
import { artifactsFor } from '../template/services';
import { expectOne, lineOf, manifestOf, templateOf } from './support';
import { writeSourceProject } from '../helpers/handmade';

const test = suite<MotoContext>('@S3');

const IMPORTS = "import { Service, Resource, Lambda, Privilege, S3, Ref, GetAtt, Sub } from 'sparta';\n";

// Logical IDs by the documented scheme: `<Fn>` = `<Class><Method>` + sha8 of
// `<service>/<Class>.<method>`; a source `<Fn>S3<h>` with h = sha8 of the
// key-sorted JSON of its identity, the bucket's logical ID.
const RESIZE = fnId('uploads', 'UploadsResize', 'Uploads', 'resize');
const AUDIT = fnId('uploads', 'UploadsAudit', 'Uploads', 'audit');
const permissionOf = (fn: string, bucket = 'Uploads') => `${fn}S3${sha8(JSON.stringify(bucket))}Permission`;
const ACCOUNT = ref('AWS::AccountId');

function s3Permission(fn: string, sourceArn?: unknown) {
  return {
    Type: 'AWS::Lambda::Permission',
    Properties: {
      Action: 'lambda:InvokeFunction',
      FunctionName: getAtt(fn),
      Principal: 's3.amazonaws.com',
      SourceAccount: ACCOUNT,
      ...(sourceArn !== undefined && { SourceArn: sourceArn }),
    },
  };
}

const NAMED = `@Service({ name: 'uploads' })
@Resource('Uploads', { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'acme-uploads' } })
export class Uploads {
  @Lambda()
  @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:Delete'], prefix: 'incoming/', suffix: '.png' })
  resize() {}
}`;

test('the bucket gains one LambdaConfiguration an event type, with the key filter, and waits for the permission', () => {
  const template = templateOf(NAMED);
  const filter = { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }, { Name: 'suffix', Value: '.png' }] } };
  assert.equal(template.Resources.Uploads, {
    Type: 'AWS::S3::Bucket',
    DependsOn: [permissionOf(RESIZE)],
    Properties: {
      BucketName: 'acme-uploads',
      NotificationConfiguration: {
        LambdaConfigurations: [
          { Event: 's3:ObjectCreated:*', Filter: filter, Function: getAtt(RESIZE) },
          { Event: 's3:ObjectRemoved:Delete', Filter: filter, Function: getAtt(RESIZE) },
        ],
      },
    },
  });
});

test('the permission is scoped to the account and to the ARN built from the bucket\'s name, never a Ref (no cycle)', () => {
  const template = templateOf(NAMED);
  assert.equal(template.Resources[permissionOf(RESIZE)], s3Permission(RESIZE, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::acme-uploads' }));
  assert.not.match(JSON.stringify(template.Resources[permissionOf(RESIZE)]), 'Uploads"', 'the permission does not refer to the bucket');
});

/** The discovery document the function's environment carries, parsed (its Fn::Sub text, placeholders unresolved). */
function discoveryOf(template: Template, functionId: string): { resources: Record<string, { type: string; ref: string; attributes: Record<string, string> }> } {
  const variables = (template.Resources[functionId].Properties?.Environment as { Variables: Record<string, { 'Fn::Sub': string }> }).Variables;
  return JSON.parse(variables.SPARTA_DISCOVERY['Fn::Sub']);
}

test('discover() lists the bucket by its written name, never by a reference back (which would close a cycle)', () => {
  const template = templateOf(NAMED);
  assert.equal(discoveryOf(template, RESIZE).resources.Uploads, { type: 'AWS::S3::Bucket', ref: 'acme-uploads', attributes: { Arn: 'arn:${AWS::Partition}:s3:::acme-uploads' } });
  assert.not.match(JSON.stringify(template.Resources[RESIZE].Properties?.Environment), '${Uploads', 'no placeholder of the bucket');
});

test('discover() under sparta invoke gives the same bucket, its partition resolved', () => {
  const svc = manifestOf(NAMED).services[0];
  const document = localDiscoveryDocument(svc, svc.functions[0], 'eu-west-1');
  assert.equal(document.resources.Uploads, { type: 'AWS::S3::Bucket', ref: 'acme-uploads', attributes: { Arn: 'arn:aws:s3:::acme-uploads' } });
});

test('a bucket whose name CloudFormation generates is not in discover(): nothing could name it without a cycle', () => {
  const template = templateOf(NAMED.replace(", Properties: { BucketName: 'acme-uploads' }", ''));
  assert.equal(discoveryOf(template, RESIZE).resources, {});
});

test('a bucket named by Fn::Sub gives a SourceArn of the same Sub', () => {
  const template = templateOf(NAMED.replace("BucketName: 'acme-uploads'", "BucketName: Sub('${AWS::StackName}-uploads')"));
  assert.equal(template.Resources[permissionOf(RESIZE)].Properties?.SourceArn, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${AWS::StackName}-uploads' });
});

test('a bucket without a written name gives a permission scoped to the account only (as SAM)', () => {
  const template = templateOf(NAMED.replace(", Properties: { BucketName: 'acme-uploads' }", ''));
  assert.equal(template.Resources[permissionOf(RESIZE)], s3Permission(RESIZE));
  assert.equal(template.Resources.Uploads.DependsOn, [permissionOf(RESIZE)]);
});

test('the user\'s own notifications and DependsOn are kept, the function\'s configurations added after theirs', () => {
  const body = `@Service({ name: 'uploads' })
@Resource('Queue', { Type: 'AWS::SQS::Queue' })
@Resource('Topic', { Type: 'AWS::SNS::Topic' })
@Resource('Uploads', {
  Type: 'AWS::S3::Bucket',
  DependsOn: 'Queue',
  Properties: {
    NotificationConfiguration: {
      EventBridgeConfiguration: { EventBridgeEnabled: true },
      LambdaConfigurations: [{ Event: 's3:ObjectRemoved:*', Function: 'arn:aws:lambda:us-east-1:123456789012:function:archiver' }],
      QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: GetAtt('Queue', 'Arn'), Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'queued/' }] } } }],
      TopicConfigurations: [{ Event: 's3:ObjectTagging:*', Topic: Ref('Topic') }],
    },
  },
})
export class Uploads {
  @Lambda()
  @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], prefix: 'incoming/' })
  resize() {}
}`;
  const bucket = templateOf(body).Resources.Uploads;
  assert.equal(bucket.DependsOn, ['Queue', permissionOf(RESIZE)]);
  assert.equal(bucket.Properties?.NotificationConfiguration, {
    EventBridgeConfiguration: { EventBridgeEnabled: true },
    LambdaConfigurations: [
      { Event: 's3:ObjectRemoved:*', Function: 'arn:aws:lambda:us-east-1:123456789012:function:archiver' },
      { Event: 's3:ObjectCreated:*', Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'incoming/' }] } }, Function: getAtt(RESIZE) },
    ],
    QueueConfigurations: [{ Event: 's3:ObjectCreated:*', Queue: getAtt('Queue'), Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'queued/' }] } } }],
    TopicConfigurations: [{ Event: 's3:ObjectTagging:*', Topic: ref('Topic') }],
  });
});

const TWO_FUNCTIONS = `@Service({ name: 'uploads' })
@Resource('Uploads', { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'acme-uploads' } })
export class Uploads {
  @Lambda()
  @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], suffix: '.png' })
  @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], suffix: '.jpg' })
  resize() {}

  @Lambda()
  @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectRemoved:*'] })
  audit() {}
}`;

test('two @S3 of one function on one bucket share its permission; two functions on one bucket each have theirs', () => {
  const template = templateOf(TWO_FUNCTIONS);
  const permissions = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::Lambda::Permission').sort();
  assert.equal(permissions, [permissionOf(AUDIT), permissionOf(RESIZE)].sort());
  assert.equal([...(template.Resources.Uploads.DependsOn as string[])].sort(), [permissionOf(AUDIT), permissionOf(RESIZE)].sort());
  // Functions in logical-ID order, then each one's decorators in source order.
  assert.equal((template.Resources.Uploads.Properties?.NotificationConfiguration as { LambdaConfigurations: unknown[] }).LambdaConfigurations, [
    { Event: 's3:ObjectRemoved:*', Function: getAtt(AUDIT) },
    { Event: 's3:ObjectCreated:*', Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '.png' }] } }, Function: getAtt(RESIZE) },
    { Event: 's3:ObjectCreated:*', Filter: { S3Key: { Rules: [{ Name: 'suffix', Value: '.jpg' }] } }, Function: getAtt(RESIZE) },
  ]);
});

test('a new prefix keeps every logical ID (it updates the bucket in place)', () => {
  const before = Object.keys(templateOf(NAMED).Resources).sort();
  const after = Object.keys(templateOf(NAMED.replace("prefix: 'incoming/'", "prefix: 'uploads/'")).Resources).sort();
  assert.equal(after, before);
});

test('a privilege by Ref on the bucket that triggers the function is a dependency cycle at template time (SPARTA308)', () => {
  const body = NAMED.replace('  @Lambda()\n', "  @Lambda()\n  @Privilege({ actions: 's3:GetObject', resource: Sub('${Uploads.Arn}/*') })\n");
  const service = manifestOf(body).services[0];
  try {
    marshalTemplate(service, artifactsFor(service));
    assert.unreachable('a cycle must be refused');
  } catch (error) {
    assert.instance(error, SpartaError);
    assert.is((error as SpartaError).code, ErrorCode.DEPENDENCY_CYCLE);
  }
});

test('a privilege on the bucket written from its name is no cycle', () => {
  const body = NAMED.replace('  @Lambda()\n', "  @Lambda()\n  @Privilege({ actions: 's3:GetObject', resource: 'arn:aws:s3:::acme-uploads/*' })\n");
  assert.ok(templateOf(body).Resources[RESIZE]);
});

// ---- diagnostics ---------------------------------------------------------

const onBucket = (decorator: string, resources = "@Resource('Uploads', { Type: 'AWS::S3::Bucket' })") => `@Service({ name: 'uploads' })
${resources}
export class Uploads {
  @Lambda()
  ${decorator}
  resize() {}
}`;

test('a bucket given by name is SPARTA031, which suggests the EventBridge pattern for that bucket', () => {
  const body = onBucket("@S3({ bucket: 'acme-uploads', events: ['s3:ObjectCreated:*'] })");
  const diagnostic = expectOne(body, 'SPARTA031', "bucket: 'acme-uploads'");
  assert.match(diagnostic.message, 'not a bucket of this stack');
  assert.match(diagnostic.hint ?? '', "@CloudWatchEvent({ pattern: { source: ['aws.s3'], 'detail-type': ['Object Created'], detail: { bucket: { name: ['acme-uploads'] } } } })");
  assert.match(diagnostic.hint ?? '', "@Resource('Uploads', { Type: 'AWS::S3::Bucket' })");
});

test('a bucket given by ARN is SPARTA031, whose pattern names the bucket', () => {
  const body = onBucket("@S3({ bucket: 'arn:aws:s3:::acme-uploads', events: ['s3:ObjectCreated:*'] })");
  assert.match(expectOne(body, 'SPARTA031', 'bucket:').hint ?? '', "name: ['acme-uploads']");
});

test('a bucket named only from pseudo parameters is SPARTA031 too (it is no resource of the stack)', () => {
  const body = onBucket("@S3({ bucket: Sub('${AWS::AccountId}-uploads'), events: ['s3:ObjectCreated:*'] })");
  expectOne(body, 'SPARTA031', 'bucket:');
});

test('a Ref to a resource that is not a bucket is SPARTA032', () => {
  const body = onBucket("@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'] })", "@Resource('Uploads', { Type: 'AWS::SNS::Topic' })");
  const diagnostic = expectOne(body, 'SPARTA032', 'bucket:');
  assert.match(diagnostic.message, 'AWS::SNS::Topic');
});

test('an event type S3 does not have is SPARTA013 at `events`', () => {
  const body = onBucket("@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated'] })");
  assert.match(expectOne(body, 'SPARTA013', 'events:').message, '"s3:ObjectCreated" is not an S3 event type');
});

test('an event type that a wildcard of the same decorator covers is SPARTA013', () => {
  const body = onBucket("@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*', 's3:ObjectCreated:Put'] })");
  assert.match(expectOne(body, 'SPARTA013', 'events:').message, 's3:ObjectCreated:Put repeats s3:ObjectCreated:*');
});

test('no `events` is SPARTA013', () => {
  const body = onBucket("@S3({ bucket: Ref('Uploads') })");
  assert.match(expectOne(body, 'SPARTA013', '@S3').message, 'needs `events`');
});

test('an empty prefix is SPARTA013 at `prefix`', () => {
  const body = onBucket("@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], prefix: '' })");
  assert.match(expectOne(body, 'SPARTA013', 'prefix:').hint ?? '', 'leave `prefix` out');
});

test('a suffix over 1024 characters is SPARTA013 at `suffix`', () => {
  const body = onBucket(`@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], suffix: '${'x'.repeat(1025)}' })`);
  expectOne(body, 'SPARTA013', 'suffix:');
});

test('a NotificationConfiguration that is not an object of lists is SPARTA013 (there is nothing to add to)', () => {
  const body = onBucket(
    "@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'] })",
    "@Resource('Uploads', { Type: 'AWS::S3::Bucket', Properties: { NotificationConfiguration: { LambdaConfigurations: { Event: 's3:ObjectCreated:*' } } } })",
  );
  expectOne(body, 'SPARTA013', 'bucket:');
});

test('two @S3 on one bucket whose keys overlap for one event type are SPARTA035, at the second', () => {
  const body = `@Service({ name: 'uploads' })
@Resource('Uploads', { Type: 'AWS::S3::Bucket' })
export class Uploads {
  @Lambda()
  @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], prefix: 'incoming/' })
  resize() {}

  @Lambda()
  @S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:Put'], prefix: 'incoming/photos/' })
  audit() {}
}`;
  const diagnostic = expectOne(body, 'SPARTA035', "prefix: 'incoming/photos/'");
  assert.match(diagnostic.message, `the @S3 of Uploads.resize at src/service.ts:${lineOf(body, "prefix: 'incoming/' })")}`);
  assert.match(diagnostic.message, 'Configurations overlap');
});

test('an @S3 that overlaps a configuration the user wrote on the bucket is SPARTA035', () => {
  const body = onBucket(
    "@S3({ bucket: Ref('Uploads'), events: ['s3:ObjectCreated:*'], suffix: '.png' })",
    "@Resource('Uploads', { Type: 'AWS::S3::Bucket', Properties: { NotificationConfiguration: { QueueConfigurations: [{ Event: 's3:ObjectCreated:Copy', Queue: 'arn:aws:sqs:us-east-1:123456789012:copies' }] } } })",
  );
  assert.match(expectOne(body, 'SPARTA035', '@S3').message, "Uploads's own QueueConfigurations[0]");
});

test('two @S3 on one bucket, one event type, with suffixes no key matches both are accepted', () => {
  assert.ok(manifestOf(TWO_FUNCTIONS));
});

// ---- explain and samples -------------------------------------------------

test('explain shows the bucket and events in the row, the key filter beneath, and a notification edge', () => {
  const manifest = manifestOf(NAMED);
  const text = renderManifestText(manifest);
  assert.match(text, 's3 Ref(Uploads) s3:ObjectCreated:* s3:ObjectRemoved:Delete');
  assert.match(text, 'prefix "incoming/", suffix ".png"');
  assert.match(renderManifestMermaid(manifest), /uploads_res_Uploads\[\("Uploads<br\/>AWS::S3::Bucket"\)\]\n[\s\S]*uploads_res_Uploads -->\|notification\| uploads_fn_Uploads_resize/);
});

test('`sparta event s3` is an S3Event of one ObjectCreated:Put record, tailored with bucket and key', () => {
  const event = sampleEvent('s3', { bucket: 'acme-uploads', key: 'incoming/cat.png' }, 'eu-west-1') as S3Event;
  assert.is(event.Records.length, 1);
  const [record] = event.Records;
  assert.is(record.eventSource, 'aws:s3');
  assert.is(record.eventName, 'ObjectCreated:Put');
  assert.is(record.awsRegion, 'eu-west-1');
  assert.equal(record.s3.bucket, { name: 'acme-uploads', ownerIdentity: { principalId: 'A3I5XTEXAMAI3E' }, arn: 'arn:aws:s3:::acme-uploads' });
  assert.is(record.s3.object.key, 'incoming/cat.png');
});

// ---- cfn-lint ---------------------------------------------------------------

const lint: { dir: string; files: Record<string, string>; run?: LintRun } = { dir: '', files: {} };
const LINTED: Record<string, string> = {
  named: NAMED,
  unnamed: NAMED.replace(", Properties: { BucketName: 'acme-uploads' }", ''),
  'two-functions': TWO_FUNCTIONS,
};

setup(test, async () => {
  lint.dir = mkdtempSync(path.join(tmpdir(), 'sparta-s3-lint-'));
  for (const [name, body] of Object.entries(LINTED)) {
    lint.files[name] = path.join(lint.dir, `${name}.json`);
    writeFileSync(lint.files[name], serializeTemplate(templateOf(body)));
  }
  lint.run = await lintTemplates(Object.values(lint.files));
});

for (const name of Object.keys(LINTED)) {
  test(`cfn-lint: ${name} has no error (E3004 is a cycle) and no warning`, () => {
    assert.equal(findings(lint.run!, lint.files[name], 'Error'), []);
    assert.equal(findings(lint.run!, lint.files[name], 'Warning'), []);
  });
}

// ---- moto ------------------------------------------------------------------

withMoto(test);

test('moto: the stack provisions (bucket after its permission); the bucket and the permission exist', async (context) => {
  const root = writeSourceProject(`import type { S3Event } from 'aws-lambda';
${IMPORTS}${NAMED.replace('resize() {}', 'resize(event: S3Event) {\n    return event.Records.length;\n  }')}
`);
  try {
    const aws = motoAws(context.moto);
    await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_REGION: 'us-east-1' };
    const run = await runCli(['provision', '--s3-bucket', 'artifacts', '--project', path.join(root, 'tsconfig.json'), '--endpoint-url', context.moto.endpoint], env);
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, 'stack uploads: CREATE_COMPLETE');
    // Every resource exists; the bucket's NotificationConfiguration is a property moto drops, asserted on the template above.
    await expectMotoSkipped(aws.apis, 'uploads', readFileSync(path.join(root, '.sparta', 'uploads', 'template.json'), 'utf8'), []);
    const physical = Object.fromEntries((await listStackResources(aws.apis.cloudFormation, 'uploads')).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
    assert.is(physical.Uploads, 'acme-uploads');
    await aws.sdk.s3.send(new HeadBucketCommand({ Bucket: 'acme-uploads' }));
    const policy = JSON.parse((await new LambdaClient(motoClientConfig(context.moto)).send(new GetPolicyCommand({ FunctionName: physical[RESIZE] }))).Policy ?? '{}');
    const [statement] = policy.Statement as { Principal: { Service: string }; Condition: Record<string, Record<string, string>> }[];
    assert.is(statement.Principal.Service, 's3.amazonaws.com');
    assert.equal(statement.Condition, { StringEquals: { 'AWS:SourceAccount': '123456789012' }, ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::acme-uploads' } });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test.after(() => rmSync(lint.dir, { recursive: true, force: true }));

test.run();
