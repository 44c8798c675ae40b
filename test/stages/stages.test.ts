// Stages: the names a stage gives, the one function that applies a stage to a
// service, the diagnostics inside `stages`, and what the CLI does with --stage.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { functionName, logGroupName } from '../../cli/template/ids';
import { marshalTemplate } from '../../cli/template';
import { applyStage, stackName } from '../../manifest/stage';
import type { FunctionArtifact, ServiceManifest } from '../../manifest/types';
import type { AnalysisResult } from '../../transformer/analyze';
import { runCli } from '../helpers/cli';
import { writeSourceProject } from '../helpers/handmade';
import { analyzeService, diagnosticLines } from '../helpers/inline-project';

const test = suite('stages');

/** analyzeService puts one import line in front of the body: body line n is file line n + 1. */
function lineOf(body: string, needle: string): number {
  const index = body.split('\n').findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in body`);
  return index + 2;
}

const codesAndLines = (result: AnalysisResult) => result.diagnostics.map((d) => [d.code, d.file, d.line]);

const STAGED = `
@Service({ name: 'shop', tags: { team: 'web' }, stages: { prod: { tags: { tier: 'critical' } } } })
export class Shop {
  @Lambda({ memorySize: 256, environment: { MODE: 'base', KEEP: 'yes' }, stages: { prod: { memorySize: 1024, reservedConcurrency: 50, environment: { MODE: 'live' } } } })
  async order(): Promise<void> {}
}
`;

function stagedService(): ServiceManifest {
  const result = analyzeService(STAGED);
  assert.equal(diagnosticLines(result), []);
  return result.manifest!.services[0];
}

const artifactsOf = (service: ServiceManifest): FunctionArtifact[] =>
  service.functions.map((fn) => ({ service: service.name, functionId: fn.id, fileName: `${fn.id}-0123456789abcdef.zip`, archive: `${fn.id}.zip`, sha256: '0'.repeat(64), zippedSize: 1, unzippedSize: 1, handler: 'index.handler' }));

test('a stage puts itself between the service and the class in function and log group names; without one they stay', () => {
  assert.is(functionName(stackName('shop', 'prod'), 'Shop', 'order'), 'shop-prod-Shop-order');
  assert.is(functionName(stackName('shop', undefined), 'Shop', 'order'), 'shop-Shop-order');
  assert.is(logGroupName(functionName(stackName('shop', 'dev'), 'Shop', 'order')), '/aws/lambda/shop-dev-Shop-order');
});

test('a staged name over 64 characters is shortened by the same rule, and two stages still differ', () => {
  const service = 'a-rather-long-service-name-for-the-orders';
  const prod = functionName(stackName(service, 'prod'), 'OrderProcessor', 'handle');
  const dev = functionName(stackName(service, 'dev'), 'OrderProcessor', 'handle');
  assert.is(prod.length, 64);
  assert.is(dev.length, 64);
  assert.ok(prod.startsWith(`${service}-prod-`), prod);
  assert.is.not(prod, dev);
});

test('the manifest keeps stages as written', () => {
  const service = stagedService();
  assert.equal(service.stages, { prod: { tags: { tier: 'critical' } } });
  assert.equal(service.functions[0].options.stages, { prod: { memorySize: 1024, reservedConcurrency: 50, environment: { MODE: 'live' } } });
});

test('applyStage: the stack name, the stage, its settings over the function\'s and the service\'s (records merged), stages gone', () => {
  const service = stagedService();
  const before = JSON.stringify(service);
  const prod = applyStage(service, 'prod');
  assert.is(prod.name, 'shop-prod');
  assert.is(prod.stage, 'prod');
  assert.equal(prod.tags, { team: 'web', tier: 'critical' });
  assert.is(prod.stages, undefined);
  assert.equal(prod.functions[0].service, 'shop-prod');
  assert.equal(prod.functions[0].options, { memorySize: 1024, reservedConcurrency: 50, environment: { MODE: 'live', KEEP: 'yes' } });
  assert.is(JSON.stringify(service), before, 'the input is unchanged');
});

test('applyStage: a stage with no settings of its own keeps the function\'s; no stage gives the service itself', () => {
  const service = stagedService();
  const dev = applyStage(service, 'dev');
  assert.is(dev.name, 'shop-dev');
  assert.equal(dev.functions[0].options, { memorySize: 256, environment: { MODE: 'base', KEEP: 'yes' } });
  assert.equal(dev.tags, { team: 'web' });
  assert.is(applyStage(service, undefined), service);
});

test('an unknown option inside a @Lambda stage is SPARTA013 at its own line', () => {
  const body = `
@Service({ name: 'shop' })
export class Shop {
  @Lambda({
    memorySize: 256,
    stages: {
      prod: {
        memorySize: 1024,
        memory: 2048,
      },
    },
  })
  async order(): Promise<void> {}
}
`;
  const result = analyzeService(body);
  assert.equal(codesAndLines(result), [['SPARTA013', 'src/service.ts', lineOf(body, 'memory: 2048')]], diagnosticLines(result).join('\n'));
  assert.match(result.diagnostics[0].message, '@Lambda stage prod has no option `memory`');
});

test('a value out of range inside a stage is the same diagnostic as outside (SPARTA007), at its line', () => {
  const body = `
@Service({ name: 'shop' })
export class Shop {
  @Lambda({ stages: {
    prod: { memorySize: 99999 } } })
  async order(): Promise<void> {}
}
`;
  assert.equal(codesAndLines(analyzeService(body)), [['SPARTA007', 'src/service.ts', lineOf(body, '99999')]]);
});

test('a @Service stage may not rename the service, and a stage has no stages: SPARTA056', () => {
  const body = `
@Service({ name: 'shop', stages: {
  prod: { name: 'other', tags: { tier: 'critical' } } } })
export class Shop {
  @Lambda({ stages: {
    dev: { stages: { x: {} } } } })
  async order(): Promise<void> {}
}
`;
  assert.equal(codesAndLines(analyzeService(body)), [
    ['SPARTA056', 'src/service.ts', lineOf(body, "name: 'other'")],
    ['SPARTA056', 'src/service.ts', lineOf(body, 'dev: { stages')],
  ]);
});

test('a stage key that is not a stage name is SPARTA055', () => {
  const body = `
@Service({ name: 'shop' })
export class Shop {
  @Lambda({ stages: {
    'prod_eu': { memorySize: 512 } } })
  async order(): Promise<void> {}
}
`;
  const result = analyzeService(body);
  assert.equal(codesAndLines(result), [['SPARTA055', 'src/service.ts', lineOf(body, 'prod_eu')]]);
});

const STAGE_SUB = `
@Service({ name: 'shop' })
@Resource('Data', { Type: 'AWS::S3::Bucket', Properties: { BucketName: Sub('shop-data-\${Stage}') } })
export class Shop {
  @Lambda()
  @Privilege({ actions: 's3:GetObject', resource: Sub('arn:aws:s3:::shop-data-\${Stage}/*') })
  async order(): Promise<void> {}
}
`;

test('${Stage} in a Sub is a known reference, unlike an undeclared name (SPARTA012)', () => {
  assert.equal(diagnosticLines(analyzeService(STAGE_SUB)), []);
  const unknown = analyzeService(STAGE_SUB.replace("Sub('arn:aws:s3:::shop-data-${Stage}/*')", "Sub('arn:aws:s3:::${Stages}/*')"));
  assert.equal(unknown.diagnostics.map((d) => d.code), ['SPARTA012']);
});

test('with a stage the template declares Stage, allowing that stage only, and every function reads it as SPARTA_STAGE', () => {
  const service = applyStage(analyzeService(STAGE_SUB).manifest!.services[0], 'prod');
  const template = marshalTemplate(service, artifactsOf(service));
  assert.equal(template.Parameters.Stage, { Type: 'String', Description: 'The stage (--stage) the template was built for', AllowedValues: ['prod'] });
  const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function')!;
  const variables = (fn.Properties as { Environment: { Variables: Record<string, unknown> } }).Environment.Variables;
  assert.equal(variables.SPARTA_STAGE, { Ref: 'Stage' });
  assert.match(JSON.stringify(variables.SPARTA_DISCOVERY), '\\"stage\\":\\"${Stage}\\"');
  assert.is((fn.Properties as { FunctionName: string }).FunctionName, 'shop-prod-Shop-order');
});

test('without a stage the template declares Stage (value empty) only when something names it', () => {
  const named = analyzeService(STAGE_SUB).manifest!.services[0];
  assert.equal(marshalTemplate(named, artifactsOf(named)).Parameters.Stage?.AllowedValues, ['']);
  const plain = stagedService();
  const template = marshalTemplate(plain, artifactsOf(plain));
  assert.equal(Object.keys(template.Parameters), ['ArtifactBucket']);
  assert.not.match(JSON.stringify(template), 'SPARTA_STAGE');
});

// ---- the CLI ---------------------------------------------------------------

const HANDLER_SOURCE = `import { Service, Lambda, discover } from 'sparta';

@Service({ name: 'staged', stages: { prod: { tags: { tier: 'critical' } } } })
export class Staged {
  @Lambda({ memorySize: 256, stages: { prod: { memorySize: 1024, reservedConcurrency: 50 } } })
  async where(): Promise<{ stage: string | undefined; discovered: string | undefined; memory: string | undefined }> {
    return { stage: process.env.SPARTA_STAGE, discovered: discover().stage, memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE };
  }
}
`;
const root = writeSourceProject(HANDLER_SOURCE);
const project = path.join(root, 'tsconfig.json');

test('sparta invoke --stage prod: SPARTA_STAGE, discover().stage and the stage\'s memory reach the code', async () => {
  const run = await runCli(['invoke', 'where', '--project', project, '--stage', 'prod', '--no-typecheck']);
  assert.is(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), { stage: 'prod', discovered: 'prod', memory: '1024' });
});

test('SPARTA_STAGE stands in for --stage; without either there is no stage', async () => {
  const staged = await runCli(['invoke', 'where', '--project', project, '--no-typecheck'], { SPARTA_STAGE: 'dev' });
  assert.is(staged.code, 0, staged.stderr);
  assert.equal(JSON.parse(staged.stdout), { stage: 'dev', discovered: 'dev', memory: '256' });
  const plain = await runCli(['invoke', 'where', '--project', project, '--no-typecheck'], { SPARTA_STAGE: undefined });
  assert.is(plain.code, 0, plain.stderr);
  assert.equal(JSON.parse(plain.stdout), { memory: '256' });
});

test('a stage that is not a stage name is SPARTA115, naming --stage', async () => {
  const run = await runCli(['explain', '--project', project, '--stage', 'prod_eu']);
  assert.is(run.code, 1);
  assert.match(run.stdout + run.stderr, 'SPARTA115: --stage "prod_eu" is not a stage name');
});

test('explain --stage prod shows the stack of the stage with the stage\'s settings', async () => {
  const run = await runCli(['explain', '--project', project, '--stage', 'prod']);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Service staged-prod \(stage prod\)/);
  assert.match(run.stdout, /Staged\.where\s+1024 MB/);
  const json = await runCli(['explain', '--project', project, '--stage', 'prod', '--format', 'json']);
  const service = JSON.parse(json.stdout).services[0];
  assert.equal([service.name, service.stage, service.tags, service.functions[0].options], ['staged-prod', 'prod', { tier: 'critical' }, { memorySize: 1024, reservedConcurrency: 50 }]);
  const plain = await runCli(['explain', '--project', project]);
  assert.match(plain.stdout, /Staged\.where\s+256 MB/);
});

test('provision --hotswap on stage prod is refused (SPARTA422) before anything is built or called', async () => {
  const fresh = writeSourceProject(HANDLER_SOURCE);
  const run = await runCli(['provision', '--project', path.join(fresh, 'tsconfig.json'), '--stage', 'prod', '--hotswap', '--s3-bucket', 'some-bucket', '--endpoint-url', 'http://127.0.0.1:9']);
  assert.is(run.code, 1);
  assert.match(run.stdout + run.stderr, 'SPARTA422: --hotswap on stage prod');
  assert.match(run.stdout + run.stderr, '--force');
  assert.not.ok(fs.existsSync(path.join(fresh, '.sparta')), 'nothing built');
});

test.run();
