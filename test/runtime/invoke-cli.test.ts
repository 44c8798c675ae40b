import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildReport, Manifest } from '../../manifest/types';
import { runCli } from '../helpers/cli';
import { EXAMPLES, FIXTURES } from '../helpers/paths';
import { bundleFunction, helloManifest, tempDir, zipFiles } from './support';

// `sparta invoke` on a project laid out as the build stage leaves it:
// the manifest beside the tsconfig (the temporary cli/project.ts reads it),
// `.sparta/build.json` and the archives it names.

const HELLO = path.join(EXAMPLES, 'hello', 'src', 'hello.ts');
const PROBE = path.join(FIXTURES, 'invoke-probe', 'src', 'probe.ts');

let hello: string;
let probe: string;

async function project(name: string, manifest: Manifest, source: string): Promise<string> {
  const dir = tempDir(name);
  const out = path.join(dir, '.sparta');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), '{}');
  fs.writeFileSync(path.join(dir, 'sparta.manifest.json'), JSON.stringify(manifest));
  const report: BuildReport = { buildVersion: 1, functions: [] };
  for (const fn of manifest.services[0].functions) {
    const code = await bundleFunction(source, fn.className, fn.methodName);
    const fileName = `${fn.id.replace('.', '-')}-0123456789abcdef.zip`;
    zipFiles(out, fileName, { 'index.js': code });
    report.functions.push({
      service: fn.service,
      functionId: fn.id,
      fileName,
      archive: fileName,
      sha256: '0'.repeat(64),
      zippedSize: 0,
      unzippedSize: 0,
      handler: 'index.handler',
    });
  }
  fs.writeFileSync(path.join(out, 'build.json'), JSON.stringify(report));
  return dir;
}

function probeManifest(): Manifest {
  const at = { file: 'src/probe.ts', line: 1, column: 1 };
  const fn = (methodName: string, options: Manifest['services'][0]['functions'][0]['options']) => ({
    id: `Probe.${methodName}`,
    service: 'probe',
    className: 'Probe',
    methodName,
    exportName: 'Probe',
    source: at,
    options,
    privileges: [],
    events: [],
    dependsOn: [],
  });
  return {
    manifestVersion: 1,
    services: [
      {
        name: 'probe',
        classes: [{ className: 'Probe', exportName: 'Probe', source: at }],
        resources: [],
        functions: [fn('fail', {}), fn('hang', { timeout: 1 })],
      },
    ],
  };
}

test.before(async () => {
  [hello, probe] = await Promise.all([project('hello', helloManifest(), HELLO), project('probe', probeManifest(), PROBE)]);
});

test.after(() => {
  for (const dir of [hello, probe]) fs.rmSync(dir, { recursive: true, force: true });
});

const tsconfig = (dir: string) => path.join(dir, 'tsconfig.json');

test('invoke by method name prints the logs on stderr and the result as JSON on stdout', async () => {
  const run = await runCli(['invoke', 'hello', '--project', tsconfig(hello)]);
  assert.is(run.code, 0, run.stdout);
  const result = JSON.parse(run.stdout);
  assert.is(result.message, 'Hello, World');
  assert.match(run.stderr, /^START RequestId: /m);
  assert.match(run.stderr, /Memory Size: 256 MB/);
});

test('invoke by id with a sample event from `sparta event`, discovery filled with placeholders', async () => {
  const event = await runCli(['event', 'schedule']);
  const file = path.join(hello, 'tick.json');
  fs.writeFileSync(file, event.stdout);
  const run = await runCli(['invoke', 'Hello.tick', '--project', tsconfig(hello), '--event', file]);
  assert.is(run.code, 0, run.stdout);
  const result = JSON.parse(run.stdout);
  assert.is(result.time, JSON.parse(event.stdout).time);
  assert.is(result.topic, 'arn:aws:sns:us-east-1:123456789012:hello-sparta-AlertsTopic');
});

test('invoke by deployed function name with --env overriding the function environment', async () => {
  const run = await runCli(['invoke', 'hello-sparta-Hello-hello', '--project', tsconfig(hello), '--env', 'GREETING_NAME=you']);
  assert.is(run.code, 0, run.stdout);
  assert.is(JSON.parse(run.stdout).message, 'Hello, you');
});

test('a function that throws exits non-zero with SPARTA501 after printing the error payload', async () => {
  const run = await runCli(['invoke', 'fail', '--project', tsconfig(probe)]);
  assert.is(run.code, 1);
  assert.is(JSON.parse(run.stdout.slice(0, run.stdout.indexOf('\n}') + 2)).errorMessage, 'probe failed');
  assert.match(run.stdout, 'SPARTA501');
});

test("a function past its manifest timeout exits non-zero with SPARTA502", async () => {
  const run = await runCli(['invoke', 'Probe.hang', '--project', tsconfig(probe)]);
  assert.is(run.code, 1);
  assert.match(run.stdout, 'SPARTA502');
  assert.match(run.stderr, 'Status: timeout');
});

test('an unknown function is SPARTA105', async () => {
  const run = await runCli(['invoke', 'nope', '--project', tsconfig(hello)]);
  assert.is(run.code, 1);
  assert.match(run.stdout, 'SPARTA105');
});

test('a project without build.json is SPARTA203', async () => {
  const run = await runCli(['invoke', 'hello', '--project', tsconfig(hello), '--out', 'elsewhere']);
  assert.is(run.code, 1);
  assert.match(run.stdout, 'SPARTA203');
});

test('a missing event file is SPARTA503', async () => {
  const run = await runCli(['invoke', 'hello', '--project', tsconfig(hello), '--event', path.join(hello, 'missing.json')]);
  assert.is(run.code, 1);
  assert.match(run.stdout, 'SPARTA503');
});

test('--env without = is a usage error', async () => {
  const run = await runCli(['invoke', 'hello', '--project', tsconfig(hello), '--env', 'NOEQUALS']);
  assert.is(run.code, 1);
  assert.match(run.stdout, 'Usage Error');
});

test.run();
