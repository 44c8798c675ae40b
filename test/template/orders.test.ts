import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate } from '../../cli/template';
import {
  discoverySub,
  expectedLogGroup,
  expectedPermission,
  expectedPolicy,
  expectedRole,
  fnId,
  getAtt,
  logStatement,
  ref,
  sha8,
  strings,
} from './expect';
import { artifactsFor, BILLING_ROLE, LEADING_KEYS_CONDITION, ordersManifest, PAYMENT_FILTER, RECEIPTS_PATTERN } from './services';

// The larger service: two classes, an existing role, a pattern rule, one
// function on two topics and two schedules, two functions on one topic,
// conditions, tags, source maps, log levels.

const test = suite('template: orders service');

const manifest = ordersManifest();
const artifacts = artifactsFor(manifest, { sourceMaps: (id) => id === 'Billing.charge' || id === 'Orders.create' });
const template = marshalTemplate(manifest, artifacts);
const resources = template.Resources;

const CHARGE = fnId('orders', 'BillingCharge', 'Billing', 'charge');
const RECONCILE = fnId('orders', 'BillingReconcile', 'Billing', 'reconcile');
const AUDIT = fnId('orders', 'OrdersAudit', 'Orders', 'audit');
const CREATE = fnId('orders', 'OrdersCreate', 'Orders', 'create');

const ORDER_TOPIC = sha8('{"Ref":"OrderEvents"}');
const PAYMENT_TOPIC = sha8('{"Ref":"PaymentEvents"}');
const HOURLY = `${AUDIT}Rule${sha8('{"schedule":"rate(1 hour)"}')}`;
const NOON = `${AUDIT}Rule${sha8('{"input":{"full":true},"schedule":"cron(0 12 * * ? *)"}')}`;
// A named rule is identified by its name (and bus) alone; its physical name starts with the service.
const RECEIPTS_RULE = `${RECONCILE}Rule${sha8('{"name":"orders-receipts"}')}`;

function code(functionId: string) {
  const artifact = artifacts.find((candidate) => candidate.functionId === functionId)!;
  return { S3Bucket: ref('ArtifactBucket'), S3Key: `orders/${artifact.fileName}` };
}

function statements(fn: string): unknown[] {
  return (resources[`${fn}Policy`].Properties!.PolicyDocument as { Statement: unknown[] }).Statement;
}

test('the template holds exactly the expected resources', () => {
  const generated = (fn: string) => [fn, `${fn}LogGroup`, `${fn}Role`, `${fn}Policy`];
  const withPermission = (id: string) => [id, `${id}Permission`];
  assert.equal(
    Object.keys(resources).sort(),
    [
      'OrderEvents',
      'OrdersTable',
      'PaymentEvents',
      'ReceiptsBucket',
      'ReceiptsBucketPolicy',
      CHARGE,
      `${CHARGE}LogGroup`,
      ...withPermission(`${CHARGE}Subscription${ORDER_TOPIC}`),
      ...generated(RECONCILE),
      ...withPermission(RECEIPTS_RULE),
      ...generated(AUDIT),
      ...withPermission(`${AUDIT}Subscription${ORDER_TOPIC}`),
      ...withPermission(`${AUDIT}Subscription${PAYMENT_TOPIC}`),
      ...withPermission(HOURLY),
      ...withPermission(NOON),
      ...generated(CREATE),
    ].sort(),
  );
});

test('@Resource declarations are copied as written, DependsOn and policies included', () => {
  for (const resource of manifest.resources) assert.equal(resources[resource.logicalId], resource.declaration);
  assert.is(resources.ReceiptsBucketPolicy.DependsOn, 'OrderEvents');
  assert.is(resources.OrdersTable.DeletionPolicy, 'Retain');
  assert.is(resources.OrdersTable.UpdateReplacePolicy, 'Retain');
});

test('the template does not share objects with the manifest', () => {
  const service = ordersManifest();
  const marshalled = marshalTemplate(service, artifactsFor(service));
  (marshalled.Resources.OrdersTable.Properties!.KeySchema as unknown[]).push('changed');
  assert.is((service.resources[1].declaration.Properties!.KeySchema as unknown[]).length, 1);
});

test('Orders.create: every property, tags merged (the function wins) and sorted', () => {
  assert.equal(resources[CREATE], {
    Type: 'AWS::Lambda::Function',
    DependsOn: [`${CREATE}Policy`],
    Properties: {
      FunctionName: 'orders-Orders-create',
      Description: 'Creates an order',
      Code: code('Orders.create'),
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 512,
      Timeout: 15,
      ReservedConcurrentExecutions: 5,
      Role: getAtt(`${CREATE}Role`),
      Environment: {
        Variables: {
          STAGE: 'prod',
          SPARTA_LOG_LEVEL: 'error',
          NODE_OPTIONS: '--enable-source-maps',
          SPARTA_DISCOVERY: discoverySub(CREATE, {
            OrderEvents: { type: 'AWS::SNS::Topic' },
            OrdersTable: { type: 'AWS::DynamoDB::Table', attributes: ['Arn'] },
          }),
        },
      },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(`${CREATE}LogGroup`) },
      Tags: [
        { Key: 'component', Value: 'api' },
        { Key: 'costCenter', Value: '42' },
        { Key: 'team', Value: 'orders' },
      ],
    },
  });
  assert.equal(resources[`${CREATE}LogGroup`], expectedLogGroup('orders-Orders-create', 30));
  assert.equal(resources[`${CREATE}Role`], expectedRole());
});

test('Orders.create: a @Privilege condition is carried into its statement; a list of resources stays a list', () => {
  const list = statements(CREATE);
  assert.is(list.length, 3);
  assert.equal(list[0], {
    Effect: 'Allow',
    Action: ['dynamodb:PutItem', 'dynamodb:GetItem'],
    Resource: getAtt('OrdersTable'),
    Condition: LEADING_KEYS_CONDITION,
  });
  assert.equal(list[1], { Effect: 'Allow', Action: ['sns:Publish'], Resource: [ref('OrderEvents'), 'arn:aws:sns:us-east-1:123456789012:legacy-orders'] });
  assert.equal(list[2], logStatement(CREATE));
  assert.equal(resources[`${CREATE}Policy`], expectedPolicy(CREATE, 'orders-Orders-create', list.slice(0, 2)));
});

test('Billing.charge: an existing role means no role or policy, and the function uses that role', () => {
  assert.not.ok(`${CHARGE}Role` in resources);
  assert.not.ok(`${CHARGE}Policy` in resources);
  assert.equal(resources[CHARGE], {
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: 'orders-Billing-charge',
      Code: code('Billing.charge'),
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 3,
      Role: BILLING_ROLE,
      Environment: {
        Variables: {
          NODE_OPTIONS: '--enable-source-maps',
          SPARTA_DISCOVERY: discoverySub(CHARGE, { OrderEvents: { type: 'AWS::SNS::Topic' } }),
        },
      },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(`${CHARGE}LogGroup`) },
      Tags: [
        { Key: 'costCenter', Value: '42' },
        { Key: 'team', Value: 'commerce' },
      ],
    },
  });
  assert.equal(resources[`${CHARGE}LogGroup`], expectedLogGroup('orders-Billing-charge', 14));
});

test('Billing.reconcile: log level from @Lambda, no source maps, @DependsOn and privilege in discovery', () => {
  assert.equal(resources[RECONCILE], {
    Type: 'AWS::Lambda::Function',
    DependsOn: [`${RECONCILE}Policy`],
    Properties: {
      FunctionName: 'orders-Billing-reconcile',
      Code: code('Billing.reconcile'),
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 128,
      Timeout: 120,
      Role: getAtt(`${RECONCILE}Role`),
      Environment: {
        Variables: {
          SPARTA_LOG_LEVEL: 'warn',
          SPARTA_DISCOVERY: discoverySub(RECONCILE, {
            OrdersTable: { type: 'AWS::DynamoDB::Table' },
            ReceiptsBucket: { type: 'AWS::S3::Bucket', attributes: ['Arn'] },
          }),
        },
      },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(`${RECONCILE}LogGroup`) },
      Tags: [
        { Key: 'costCenter', Value: '42' },
        { Key: 'team', Value: 'commerce' },
      ],
    },
  });
  assert.equal(resources[`${RECONCILE}Policy`], expectedPolicy(RECONCILE, 'orders-Billing-reconcile', [
    { Effect: 'Allow', Action: ['s3:GetObject'], Resource: { 'Fn::Sub': '${ReceiptsBucket.Arn}/receipts/*' } },
  ]));
});

test('Billing.reconcile: an event-pattern rule with its name and constant input, and its permission', () => {
  assert.equal(resources[RECEIPTS_RULE], {
    Type: 'AWS::Events::Rule',
    Properties: {
      Name: 'orders-orders-receipts',
      EventPattern: RECEIPTS_PATTERN,
      State: 'ENABLED',
      Targets: [{ Id: 'orders-Billing-reconcile', Arn: getAtt(RECONCILE), Input: '{"mode":"full"}' }],
    },
  });
  assert.equal(resources[`${RECEIPTS_RULE}Permission`], expectedPermission(RECONCILE, 'events.amazonaws.com', getAtt(RECEIPTS_RULE)));
});

test('Orders.audit: two topics and two schedules give two subscriptions, two rules and a permission each', () => {
  const ofType = (type: string) => Object.keys(resources).filter((id) => id.startsWith(AUDIT) && resources[id].Type === type);
  assert.is(ofType('AWS::SNS::Subscription').length, 2);
  assert.is(ofType('AWS::Events::Rule').length, 2);
  assert.is(ofType('AWS::Lambda::Permission').length, 4);

  assert.equal(resources[`${AUDIT}Subscription${ORDER_TOPIC}`], {
    Type: 'AWS::SNS::Subscription',
    Properties: { TopicArn: ref('OrderEvents'), Protocol: 'lambda', Endpoint: getAtt(AUDIT) },
  });
  assert.equal(resources[`${AUDIT}Subscription${PAYMENT_TOPIC}`], {
    Type: 'AWS::SNS::Subscription',
    Properties: { TopicArn: ref('PaymentEvents'), Protocol: 'lambda', Endpoint: getAtt(AUDIT), FilterPolicy: PAYMENT_FILTER },
  });
  assert.equal(resources[`${AUDIT}Subscription${ORDER_TOPIC}Permission`], expectedPermission(AUDIT, 'sns.amazonaws.com', ref('OrderEvents')));
  assert.equal(resources[`${AUDIT}Subscription${PAYMENT_TOPIC}Permission`], expectedPermission(AUDIT, 'sns.amazonaws.com', ref('PaymentEvents')));

  assert.equal(resources[HOURLY], {
    Type: 'AWS::Events::Rule',
    Properties: { ScheduleExpression: 'rate(1 hour)', State: 'ENABLED', Targets: [{ Id: 'orders-Orders-audit', Arn: getAtt(AUDIT) }] },
  });
  assert.equal(resources[NOON], {
    Type: 'AWS::Events::Rule',
    Properties: {
      Description: 'Noon audit',
      ScheduleExpression: 'cron(0 12 * * ? *)',
      State: 'ENABLED',
      Targets: [{ Id: 'orders-Orders-audit', Arn: getAtt(AUDIT), Input: '{"full":true}' }],
    },
  });
  assert.equal(resources[`${HOURLY}Permission`], expectedPermission(AUDIT, 'events.amazonaws.com', getAtt(HOURLY)));
  assert.equal(resources[`${NOON}Permission`], expectedPermission(AUDIT, 'events.amazonaws.com', getAtt(NOON)));
});

test('Orders.audit: the function, with the topics it listens to in its discovery document', () => {
  assert.equal(resources[AUDIT], {
    Type: 'AWS::Lambda::Function',
    DependsOn: [`${AUDIT}Policy`],
    Properties: {
      FunctionName: 'orders-Orders-audit',
      Code: code('Orders.audit'),
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      MemorySize: 128,
      Timeout: 3,
      Role: getAtt(`${AUDIT}Role`),
      Environment: {
        Variables: {
          SPARTA_DISCOVERY: discoverySub(AUDIT, { OrderEvents: { type: 'AWS::SNS::Topic' }, PaymentEvents: { type: 'AWS::SNS::Topic' } }),
        },
      },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: ref(`${AUDIT}LogGroup`) },
      Tags: [
        { Key: 'costCenter', Value: '42' },
        { Key: 'team', Value: 'commerce' },
      ],
    },
  });
  assert.equal(resources[`${AUDIT}Policy`], expectedPolicy(AUDIT, 'orders-Orders-audit', []));
});

test('two functions on one topic get a subscription and a permission each', () => {
  const onOrders = Object.entries(resources).filter(([, resource]) => resource.Type === 'AWS::SNS::Subscription' && (resource.Properties!.TopicArn as { Ref: string }).Ref === 'OrderEvents');
  assert.equal(onOrders.map(([id]) => id).sort(), [`${CHARGE}Subscription${ORDER_TOPIC}`, `${AUDIT}Subscription${ORDER_TOPIC}`].sort());
  assert.equal(resources[`${CHARGE}Subscription${ORDER_TOPIC}`], {
    Type: 'AWS::SNS::Subscription',
    Properties: { TopicArn: ref('OrderEvents'), Protocol: 'lambda', Endpoint: getAtt(CHARGE) },
  });
  assert.equal(resources[`${CHARGE}Subscription${ORDER_TOPIC}Permission`], expectedPermission(CHARGE, 'sns.amazonaws.com', ref('OrderEvents')));
});

test('no generated policy holds a wildcard the user did not write', () => {
  const written = new Set(strings(manifest.functions.map((fn) => fn.privileges.map((privilege) => [privilege.actions, privilege.resource, privilege.condition ?? null]))));
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::Role') continue;
    for (const text of strings(resource.Properties)) {
      if (text.includes('*')) assert.ok(written.has(text), `unexpected wildcard ${text}`);
    }
  }
});

test('outputs: the service name alone (functions are listed from the stack resources)', () => {
  assert.equal(template.Outputs, {
    ServiceName: { Description: 'The sparta service deployed by this stack', Value: 'orders' },
  });
  for (const id of Object.keys(template.Outputs)) assert.match(id, /^[A-Za-z0-9]{1,255}$/);
});

test('a user NODE_OPTIONS is kept and source maps added once', () => {
  const service = ordersManifest();
  const create = service.functions.find((fn) => fn.id === 'Orders.create')!;
  create.options.environment = { NODE_OPTIONS: '--max-old-space-size=256' };
  const audit = service.functions.find((fn) => fn.id === 'Orders.audit')!;
  audit.options.environment = { NODE_OPTIONS: '--enable-source-maps' };
  const marshalled = marshalTemplate(service, artifactsFor(service, { sourceMaps: true }));
  const variables = (id: string) => (marshalled.Resources[id].Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
  assert.is(variables(CREATE).NODE_OPTIONS, '--enable-source-maps --max-old-space-size=256');
  assert.is(variables(AUDIT).NODE_OPTIONS, '--enable-source-maps');
});

test('artifacts of other services and the discovery variable of the user are ignored', () => {
  const service = ordersManifest();
  service.functions.find((fn) => fn.id === 'Orders.audit')!.options.environment = { SPARTA_DISCOVERY: 'mine' };
  const stranger = { ...artifacts[0], service: 'other', fileName: 'stranger.zip' };
  const marshalled = marshalTemplate(service, [stranger, ...artifacts]);
  assert.equal((marshalled.Resources[CHARGE].Properties!.Code as { S3Key: string }).S3Key, code('Billing.charge').S3Key);
  const variables = (marshalled.Resources[AUDIT].Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal(variables.SPARTA_DISCOVERY, (resources[AUDIT].Properties!.Environment as { Variables: Record<string, unknown> }).Variables.SPARTA_DISCOVERY);
});

test.run();
