import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { analyzeProject } from '../../transformer/analyze';
import { formatDiagnostic } from '../../transformer/diagnostics';
import { EXAMPLES } from '../helpers/paths';
import type { FunctionArtifact, FunctionManifest, ServiceManifest, SourceLocation } from '../../manifest/types';

// Manifests for the template tests: `helloManifest` is the analyzer's output
// for examples/hello; `ordersManifest` is a larger, hand-written service that
// uses every option.

function at(file: string, line: number, column: number): SourceLocation {
  return { file, line, column };
}

/** examples/hello as the analyzer sees it: the template tests run on the real manifest. */
export function helloManifest(): ServiceManifest {
  const analysis = analyzeProject(path.join(EXAMPLES, 'hello', 'tsconfig.json'));
  if (!analysis.manifest) throw new Error(`examples/hello does not analyse: ${analysis.diagnostics.map(formatDiagnostic).join('\n')}`);
  return structuredClone(analysis.manifest.services[0]);
}

const ORDERS = 'src/orders.ts';
const BILLING = 'src/billing.ts';

export const BILLING_ROLE = 'arn:aws:iam::123456789012:role/billing-service';
export const LEADING_KEYS_CONDITION = { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:PrincipalTag/tenant}'] } };
export const RECEIPTS_PATTERN = {
  source: ['aws.s3'],
  'detail-type': ['Object Created'],
  detail: { bucket: { name: [{ Ref: 'ReceiptsBucket' }] } },
};
export const PAYMENT_FILTER = { status: ['failed', 'refunded'] };

function ordersFunction(partial: Partial<FunctionManifest> & Pick<FunctionManifest, 'className' | 'methodName' | 'source'>): FunctionManifest {
  return {
    id: `${partial.className}.${partial.methodName}`,
    service: 'orders',
    exportName: partial.className,
    options: {},
    privileges: [],
    events: [],
    dependsOn: [],
    ...partial,
  };
}

/** Two classes, five resources, four functions: two topics and two schedules on one function, one topic on two functions, an existing role, a pattern rule, conditions. */
export function ordersManifest(): ServiceManifest {
  return {
    name: 'orders',
    description: 'Orders and billing',
    tags: { team: 'commerce', costCenter: '42' },
    classes: [
      { className: 'Billing', exportName: 'Billing', source: at(BILLING, 6, 1) },
      { className: 'Orders', exportName: 'Orders', source: at(ORDERS, 10, 1) },
    ],
    resources: [
      { logicalId: 'OrderEvents', declaration: { Type: 'AWS::SNS::Topic' }, source: at(ORDERS, 7, 1) },
      {
        logicalId: 'OrdersTable',
        declaration: {
          Type: 'AWS::DynamoDB::Table',
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          },
        },
        source: at(ORDERS, 8, 1),
      },
      { logicalId: 'PaymentEvents', declaration: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: 'Payments' } }, source: at(ORDERS, 9, 1) },
      { logicalId: 'ReceiptsBucket', declaration: { Type: 'AWS::S3::Bucket', Properties: { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } } }, source: at(BILLING, 4, 1) },
      {
        logicalId: 'ReceiptsBucketPolicy',
        declaration: {
          Type: 'AWS::S3::BucketPolicy',
          // A DependsOn that no property implies: cfn-lint warns (W3005) about one that repeats a Ref.
          DependsOn: 'OrderEvents',
          Properties: {
            Bucket: { Ref: 'ReceiptsBucket' },
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Deny',
                  Principal: '*',
                  Action: 's3:*',
                  Resource: [{ 'Fn::GetAtt': ['ReceiptsBucket', 'Arn'] }, { 'Fn::Sub': '${ReceiptsBucket.Arn}/*' }],
                  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
                },
              ],
            },
          },
        },
        source: at(BILLING, 5, 1),
      },
    ],
    functions: [
      ordersFunction({
        className: 'Billing',
        methodName: 'charge',
        exportName: 'Billing',
        source: at(BILLING, 12, 3),
        options: { role: BILLING_ROLE, architecture: 'arm64', runtime: 'nodejs22.x', memorySize: 1024 },
        events: [{ kind: 'sns', topic: { Ref: 'OrderEvents' }, source: at(BILLING, 11, 3) }],
      }),
      ordersFunction({
        className: 'Billing',
        methodName: 'reconcile',
        exportName: 'Billing',
        source: at(BILLING, 20, 3),
        options: { timeout: 120, logLevel: 'warn' },
        privileges: [{ actions: ['s3:GetObject'], resource: { 'Fn::Sub': '${ReceiptsBucket.Arn}/receipts/*' }, source: at(BILLING, 19, 3) }],
        events: [{ kind: 'pattern', pattern: RECEIPTS_PATTERN, input: { mode: 'full' }, name: 'orders-receipts', source: at(BILLING, 18, 3) }],
        dependsOn: ['OrdersTable'],
      }),
      ordersFunction({
        className: 'Orders',
        methodName: 'audit',
        source: at(ORDERS, 30, 3),
        events: [
          { kind: 'sns', topic: { Ref: 'OrderEvents' }, source: at(ORDERS, 26, 3) },
          { kind: 'sns', topic: { Ref: 'PaymentEvents' }, filterPolicy: PAYMENT_FILTER, source: at(ORDERS, 27, 3) },
          { kind: 'schedule', schedule: 'rate(1 hour)', source: at(ORDERS, 28, 3) },
          { kind: 'schedule', schedule: 'cron(0 12 * * ? *)', description: 'Noon audit', input: { full: true }, source: at(ORDERS, 29, 3) },
        ],
      }),
      ordersFunction({
        className: 'Orders',
        methodName: 'create',
        source: at(ORDERS, 16, 3),
        options: {
          memorySize: 512,
          timeout: 15,
          reservedConcurrency: 5,
          description: 'Creates an order',
          environment: { STAGE: 'prod', SPARTA_LOG_LEVEL: 'error' },
          logLevel: 'debug',
          tags: { component: 'api', team: 'orders' },
          logRetentionDays: 30,
        },
        privileges: [
          { actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], resource: { 'Fn::GetAtt': ['OrdersTable', 'Arn'] }, condition: LEADING_KEYS_CONDITION, source: at(ORDERS, 13, 3) },
          { actions: ['sns:Publish'], resource: [{ Ref: 'OrderEvents' }, 'arn:aws:sns:us-east-1:123456789012:legacy-orders'], source: at(ORDERS, 14, 3) },
        ],
        dependsOn: ['OrdersTable', 'OrderEvents'],
      }),
    ],
  };
}

export interface ArtifactOptions {
  /** Stands for the code: a different value is a different zip. */
  codeVersion?: string;
  sourceMaps?: boolean | ((functionId: string) => boolean);
}

/** What `sparta build` would report for the service: one zip a function, named by its content. */
export function artifactsFor(service: ServiceManifest, options: ArtifactOptions = {}): FunctionArtifact[] {
  return service.functions.map((fn) => {
    const sha256 = createHash('sha256').update(`${fn.id}:${options.codeVersion ?? 'v1'}`).digest('hex');
    const sourceMaps = typeof options.sourceMaps === 'function' ? options.sourceMaps(fn.id) : options.sourceMaps;
    const artifact: FunctionArtifact = {
      service: service.name,
      functionId: fn.id,
      fileName: `${fn.id}-${sha256.slice(0, 16)}.zip`,
      archive: `/project/.sparta/${fn.id}-${sha256.slice(0, 16)}.zip`,
      sha256,
      zippedSize: 1000,
      unzippedSize: 4000,
      handler: 'index.handler',
    };
    if (sourceMaps !== undefined) artifact.sourceMaps = sourceMaps;
    return artifact;
  });
}

/** A service of `count` functions on one class, each with a privilege, a schedule and a topic subscription. */
export function generatedService(count: number, name = 'generated'): ServiceManifest {
  const functions: FunctionManifest[] = [];
  for (let index = 0; index < count; index++) {
    const methodName = `handler${String(index).padStart(3, '0')}`;
    functions.push({
      id: `Generated.${methodName}`,
      service: name,
      className: 'Generated',
      methodName,
      exportName: 'Generated',
      source: at('src/generated.ts', 10 + index * 5, 3),
      options: { memorySize: 256, environment: { INDEX: String(index) } },
      privileges: [{ actions: ['sns:Publish'], resource: { Ref: 'Events' }, source: at('src/generated.ts', 11 + index * 5, 3) }],
      events: [
        { kind: 'schedule', schedule: `rate(${index + 2} minutes)`, source: at('src/generated.ts', 12 + index * 5, 3) },
        { kind: 'sns', topic: { Ref: 'Events' }, source: at('src/generated.ts', 13 + index * 5, 3) },
      ],
      dependsOn: ['Table'],
    });
  }
  return {
    name,
    classes: [{ className: 'Generated', exportName: 'Generated', source: at('src/generated.ts', 5, 1) }],
    resources: [
      { logicalId: 'Events', declaration: { Type: 'AWS::SNS::Topic' }, source: at('src/generated.ts', 3, 1) },
      {
        logicalId: 'Table',
        declaration: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] },
        },
        source: at('src/generated.ts', 4, 1),
      },
    ],
    functions,
  };
}
