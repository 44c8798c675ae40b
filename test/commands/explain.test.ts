import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { EXAMPLES, REPO_ROOT } from '../helpers/paths';

const test = suite('sparta explain');
const hello = path.join(EXAMPLES, 'hello', 'tsconfig.json');

test('text lists each function with memory, timeout, events and privileges, then the resources', async () => {
  const run = await runCli(['explain', '--project', hello]);
  assert.is(run.code, 0);
  const lines = run.stdout.split('\n');
  assert.is(lines[0], 'Service hello-sparta: Hello world service');
  const row = (id: string) => lines.find((line) => line.trimStart().startsWith(`${id} `)) ?? '';
  assert.match(row('Hello.hello'), /256 MB\s+10 s\s+nodejs24\.x x86_64/);
  assert.match(row('Hello.tick'), /128 MB\s+3 s .*schedule rate\(5 minutes\)\s+sns:Publish on Ref\(AlertsTopic\)/);
  assert.match(row('Hello.onAlert'), /sns Ref\(AlertsTopic\)\s+s3:PutObject, s3:GetObject on Sub\(\$\{ImagesBucket\.Arn\}\/\*\)/);
  assert.ok(lines.some((line) => /^\s+s3:ListBucket on GetAtt\(ImagesBucket\.Arn\)/.test(line)), 'second privilege on its own line');
  assert.match(run.stdout, /Resources \(2\)\n\s+RESOURCE\s+TYPE\s+SOURCE\n\s+AlertsTopic\s+AWS::SNS::Topic/);
});

/** The detail lines under a function's row: indented six, up to the next row. */
function detailsOf(stdout: string, id: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  ${id} `));
  assert.ok(start >= 0, `no row for ${id}`);
  const details: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^  \S/.test(line) || line === '') break;
    if (/^ {6}\S/.test(line)) details.push(line.trim());
  }
  return details;
}

test('text puts a function\'s description, DependsOn and rule description under its row', async () => {
  const run = await runCli(['explain', '--project', hello]);
  assert.is(run.code, 0, run.stderr);
  assert.ok(detailsOf(run.stdout, 'Hello.hello').includes('description: "Says hello"'), run.stdout);
  assert.ok(detailsOf(run.stdout, 'Hello.onAlert').includes('DependsOn: AlertsTopic'), run.stdout);
  assert.not.ok(detailsOf(run.stdout, 'Hello.hello').some((line) => line.startsWith('DependsOn')), 'Hello.hello has no @DependsOn');
  assert.ok(detailsOf(run.stdout, 'Hello.tick').includes('event schedule rate(5 minutes): description "Heartbeat"'), run.stdout);
});

test('text shows rule names, inputs, filter policies, conditions, role, concurrency, tags and log settings', async () => {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test', 'fixtures', '.tmp-explain-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { experimentalDecorators: true, module: 'node16', strict: true, types: [] }, include: ['src'] }));
    fs.writeFileSync(
      path.join(dir, 'src', 'jobs.ts'),
      [
        "import { Service, Resource, Lambda, CloudWatchEvent, SNS, Privilege, DependsOn, Ref } from 'sparta';",
        "@Service({ name: 'jobs' })",
        "@Resource('Queue', { Type: 'AWS::SQS::Queue' })",
        "@Resource('Topic', { Type: 'AWS::SNS::Topic' })",
        'export class Jobs {',
        "  @Lambda({ description: 'Nightly clean-up', reservedConcurrency: 2, logLevel: 'debug', logRetentionDays: 30, tags: { owner: 'ops' }, role: 'arn:aws:iam::123456789012:role/jobs' })",
        "  @CloudWatchEvent({ schedule: 'cron(0 3 * * ? *)', name: 'nightly-clean', input: { dryRun: false } })",
        "  @SNS({ topic: Ref('Topic'), filterPolicy: { kind: ['purge'] } })",
        "  @Privilege({ actions: 'sqs:PurgeQueue', resource: 'arn:aws:sqs:us-east-1:123456789012:jobs', condition: { Bool: { 'aws:SecureTransport': 'true' } } })",
        "  @DependsOn('Queue')",
        '  nightly() {}',
        '}',
        '',
      ].join('\n'),
    );
    const run = await runCli(['explain', '--project', path.join(dir, 'tsconfig.json')]);
    assert.is(run.code, 0, run.stderr);
    assert.equal(detailsOf(run.stdout, 'Jobs.nightly'), [
      'description: "Nightly clean-up"',
      'DependsOn: Queue',
      'tags: owner="ops"',
      'role: arn:aws:iam::123456789012:role/jobs (existing, none generated)',
      'reserved concurrency: 2',
      'logs: kept 30 days, level debug',
      'event schedule cron(0 3 * * ? *): rule name "nightly-clean", input {"dryRun":false}',
      'event sns Ref(Topic) (filtered): filter policy {"kind":["purge"]}',
      'privilege sqs:PurgeQueue on arn:aws:sqs:us-east-1:123456789012:jobs (conditional): condition {"Bool":{"aws:SecureTransport":"true"}}',
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('mermaid draws schedules, subscriptions, privileges and DependsOn', async () => {
  const run = await runCli(['explain', '--project', hello, '--format', 'mermaid']);
  assert.is(run.code, 0);
  assert.match(run.stdout, /^flowchart LR\n/);
  assert.match(run.stdout, /hello_sparta_res_AlertsTopic -->\|subscription\| hello_sparta_fn_Hello_onAlert/);
  assert.match(run.stdout, /hello_sparta_fn_Hello_tick_event_0 -->\|schedule\| hello_sparta_fn_Hello_tick/);
  assert.match(run.stdout, /hello_sparta_fn_Hello_tick -\.->\|"sns:Publish"\| hello_sparta_res_AlertsTopic/);
  assert.match(run.stdout, /hello_sparta_fn_Hello_onAlert ==>\|DependsOn\| hello_sparta_res_AlertsTopic/);
});

/** A project of one source file `src/<name>.ts` under test/fixtures (where `sparta` resolves); removed after `use`. */
async function withProject(source: string, use: (tsconfig: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test', 'fixtures', '.tmp-explain-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { experimentalDecorators: true, module: 'node16', strict: true, types: [] }, include: ['src'] }));
    fs.writeFileSync(path.join(dir, 'src', 'shop.ts'), source);
    await use(path.join(dir, 'tsconfig.json'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SHOP = [
  "import { Service, Api, Lambda, Http, WebSocket } from 'sparta';",
  "@Service({ name: 'shop' })",
  "@Api({ type: 'rest', stage: 'prod' })",
  'export class Orders {',
  "  @Lambda() @Http('POST /orders', { auth: 'iam' }) create() {}",
  "  @Lambda() @Http('GET /orders') @Http('GET /orders/{id}') read() {}",
  "  @Lambda() @Http('ANY /files/{proxy+}') files() {}",
  '}',
  "@Service({ name: 'shop' })",
  'export class Chat {',
  "  @Lambda() @WebSocket('$connect') connect() {}",
  "  @Lambda() @WebSocket('say') say() {}",
  '}',
  '',
].join('\n');

test('text lists every route in one table, by API, path and method: METHOD PATH FUNCTION AUTH, WebSocket route keys as WEBSOCKET', async () => {
  await withProject(SHOP, async (tsconfig) => {
    const run = await runCli(['explain', '--project', tsconfig]);
    assert.is(run.code, 0, run.stderr);
    const start = run.stdout.indexOf('Routes (');
    assert.ok(start >= 0, run.stdout);
    const section = run.stdout.slice(start, run.stdout.indexOf('\n\n', start)).split('\n');
    assert.equal(section, [
      'Routes (6): REST API (stage prod); WebSocket API (stage v1)',
      '  METHOD     PATH             FUNCTION       AUTH',
      '  ANY        /files/{proxy+}  Orders.files   none',
      '  GET        /orders          Orders.read    none',
      '  POST       /orders          Orders.create  iam',
      '  GET        /orders/{id}     Orders.read    none',
      '  WEBSOCKET  $connect         Chat.connect   none',
      '  WEBSOCKET  say              Chat.say       none',
    ]);
  });
});

test('text names a JWT route\'s issuer in AUTH, and has no routes section for a service without routes', async () => {
  const source = [
    "import { Service, Lambda, Http } from 'sparta';",
    "@Service({ name: 'me' })",
    'export class Me {',
    "  @Lambda() @Http('GET /me', { auth: { jwt: { issuer: 'https://issuer.example.com', audience: ['app'] } } }) me() {}",
    '}',
    '',
  ].join('\n');
  await withProject(source, async (tsconfig) => {
    const run = await runCli(['explain', '--project', tsconfig]);
    assert.is(run.code, 0, run.stderr);
    assert.match(run.stdout, /Routes \(1\): HTTP API \(stage \$default\)\n\s+METHOD\s+PATH\s+FUNCTION\s+AUTH\n  GET\s+\/me\s+Me\.me\s+jwt https:\/\/issuer\.example\.com\n/);
  });
  const hello = await runCli(['explain', '--project', path.join(EXAMPLES, 'hello', 'tsconfig.json')]);
  assert.not.match(hello.stdout, 'Routes (');
});

test('mermaid draws each API once, with an edge a route to its function', async () => {
  await withProject(SHOP, async (tsconfig) => {
    const run = await runCli(['explain', '--project', tsconfig, '--format', 'mermaid']);
    assert.is(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n').map((line) => line.trim());
    assert.equal(lines.filter((line) => /^shop_api_\w+\{/.test(line)).sort(), ['shop_api_REST_API{{"REST API"}}', 'shop_api_WebSocket_API{{"WebSocket API"}}']);
    assert.equal(lines.filter((line) => /^shop_api_\w+ -->/.test(line)).sort(), [
      'shop_api_REST_API -->|"ANY /files/{proxy+}"| shop_fn_Orders_files',
      'shop_api_REST_API -->|"GET /orders"| shop_fn_Orders_read',
      'shop_api_REST_API -->|"GET /orders/{id}"| shop_fn_Orders_read',
      'shop_api_REST_API -->|"POST /orders"| shop_fn_Orders_create',
      'shop_api_WebSocket_API -->|"$connect"| shop_fn_Chat_connect',
      'shop_api_WebSocket_API -->|say| shop_fn_Chat_say',
    ]);
  });
});

test('--service with an unknown name is SPARTA102 and lists the services', async () => {
  const run = await runCli(['explain', '--project', hello, '--service', 'nope']);
  assert.is(run.code, 1);
  assert.match(run.stderr, /SPARTA102: no service named nope/);
  assert.match(run.stderr, /hello-sparta/);
});

test('a missing tsconfig is SPARTA101 naming the path', async () => {
  const run = await runCli(['explain', '--project', path.join(REPO_ROOT, 'nowhere', 'tsconfig.json')]);
  assert.is(run.code, 1);
  assert.match(run.stderr, /SPARTA101: no tsconfig at .*nowhere/);
  assert.not.match(run.stderr, /at .*\.js:\d+/, 'no stack trace');
});

test('an unknown --format is a usage error', async () => {
  const run = await runCli(['explain', '--project', hello, '--format', 'xml']);
  assert.is(run.code, 1);
  assert.match(run.stderr, /Usage Error: --format must be one of text, json, mermaid/);
});

test('decorator errors print as file:line:col - error SPARTAnnn and exit non-zero', async () => {
  fs.mkdirSync(path.join(REPO_ROOT, 'test', 'fixtures'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'test', 'fixtures', '.tmp-explain-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { experimentalDecorators: true, module: 'node16', strict: true, types: [] }, include: ['src'] }));
    fs.writeFileSync(path.join(dir, 'src', 'jobs.ts'), "import { Service, Lambda, CloudWatchEvent } from 'sparta';\n@Service({ name: 'jobs' })\nexport class Jobs {\n  @Lambda()\n  @CloudWatchEvent({ schedule: 'every day' })\n  nightly() {}\n}\n");
    const run = await runCli(['explain', '--project', path.join(dir, 'tsconfig.json')]);
    assert.is(run.code, 1);
    assert.match(run.stderr, /src\/jobs\.ts:5:32 - error SPARTA011: schedule "every day" is not valid/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
