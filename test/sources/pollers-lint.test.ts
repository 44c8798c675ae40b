import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { marshalTemplate, serializeTemplate } from '../../cli/template';
import { renderManifestMermaid } from '../../cli/explain/mermaid';
import { renderManifestText } from '../../cli/explain/text';
import type { Manifest } from '../../manifest/types';
import { findings, lintTemplates, type LintRun } from '../helpers/cfn-lint';
import { analyzeSources, diagnosticLines } from '../helpers/inline-project';
import { setup } from '../helpers/setup';
import { artifactsFor } from '../template/services';

// One service with the three pollers, every option used: the template
// cfn-lint accepts, and what explain says of it.

const test = suite('sources: pollers linted and explained');

const SOURCE = `import { Service, Resource, Lambda, SQS, DynamoDBStream, Kinesis, Ref } from 'sparta';

@Service({ name: 'shop' })
@Resource('Jobs', { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60 } })
@Resource('Orders', { Type: 'AWS::DynamoDB::Table', Properties: {
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
} })
@Resource('Clicks', { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 1 } })
export class Worker {
  @Lambda({ timeout: 30 })
  @SQS({ queue: Ref('Jobs'), batchSize: 10, maximumBatchingWindow: 5, reportBatchItemFailures: true, maxConcurrency: 5, filterCriteria: [{ body: { kind: ['resize'] } }] })
  resize() { return { batchItemFailures: [] }; }

  @Lambda()
  @DynamoDBStream({ table: Ref('Orders'), startingPosition: 'LATEST', batchSize: 100, retryAttempts: 2, bisectBatchOnFunctionError: true, reportBatchItemFailures: true, maximumRecordAge: -1 })
  sync() { return { batchItemFailures: [] }; }

  @Lambda()
  @Kinesis({ stream: Ref('Clicks'), startingPosition: 'AT_TIMESTAMP', startingPositionTimestamp: '2026-01-01T00:00:00Z', batchSize: 100, parallelizationFactor: 2, maximumBatchingWindow: 1, enabled: false })
  track() {}
}
`;

const context: { dir: string; file: string; manifest?: Manifest; run?: LintRun } = { dir: '', file: '' };

setup(test, async () => {
  const result = analyzeSources({ 'src/worker.ts': SOURCE });
  if (!result.manifest) throw new Error(diagnosticLines(result).join('\n'));
  context.manifest = result.manifest;
  const service = result.manifest.services[0];
  context.dir = mkdtempSync(path.join(tmpdir(), 'sparta-pollers-lint-'));
  context.file = path.join(context.dir, 'shop.json');
  writeFileSync(context.file, serializeTemplate(marshalTemplate(service, artifactsFor(service))));
  context.run = await lintTemplates([context.file]);
});

test.after(() => {
  if (context.dir) rmSync(context.dir, { recursive: true, force: true });
});

test('the template with a queue, a table stream and a Kinesis stream mapped has no cfn-lint error and no warning', () => {
  assert.equal(findings(context.run!, context.file, 'Error'), []);
  assert.equal(findings(context.run!, context.file, 'Warning'), []);
  assert.is(context.run!.exitCode, 0);
});

/** The lines under a function's row: indented six, up to the next row. */
function detailsOf(text: string, id: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  ${id} `));
  assert.ok(start >= 0, `no row for ${id} in\n${text}`);
  const details: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^  \S/.test(line) || line === '') break;
    if (/^ {6}\S/.test(line)) details.push(line.trim());
  }
  return details;
}

test('explain shows each poller in its function\'s row, and every option under it', () => {
  const text = renderManifestText(context.manifest!);
  const row = (id: string) => text.split('\n').find((line) => line.startsWith(`  ${id} `)) ?? '';
  assert.match(row('Worker.resize'), 'sqs Ref(Jobs) (filtered)');
  assert.match(row('Worker.sync'), 'dynamodb Ref(Orders)');
  assert.match(row('Worker.track'), 'kinesis Ref(Clicks)');
  const events = (id: string) => detailsOf(text, id).filter((line) => line.startsWith('event '));
  assert.equal(events('Worker.resize'), [
    'event sqs Ref(Jobs) (filtered): batch size 10, batching window 5 s, max concurrency 5, reports batch item failures, filter {"body":{"kind":["resize"]}}',
  ]);
  assert.equal(events('Worker.sync'), [
    'event dynamodb Ref(Orders): starting position LATEST, batch size 100, retry attempts 2, maximum record age unlimited, bisect batch on error, reports batch item failures',
  ]);
  assert.equal(events('Worker.track'), [
    'event kinesis Ref(Clicks): starting position AT_TIMESTAMP, from 2026-01-01T00:00:00.000Z, batch size 100, batching window 1 s, parallelization 2, disabled',
  ]);
});

test('explain --format mermaid draws an edge from the queue, the table and the stream to their function', () => {
  const chart = renderManifestMermaid(context.manifest!);
  assert.match(chart, 'shop_res_Jobs -->|poll| shop_fn_Worker_resize');
  assert.match(chart, 'shop_res_Orders -->|stream| shop_fn_Worker_sync');
  assert.match(chart, 'shop_res_Clicks -->|stream| shop_fn_Worker_track');
});

test.run();
