import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { FIXTURES, REPO_ROOT } from '../helpers/paths';

// `sparta invoke` rebuilds the service before it runs a function (unless
// --no-build), and gives the function the environment the template deploys.

/** A fresh copy of the invoke-probe project whose imports resolve to this repository's. */
function copyProbe(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-invoke-build-'));
  fs.cpSync(path.join(FIXTURES, 'invoke-probe'), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'sparta'), 'dir');
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
  return dir;
}

const dirs: string[] = [];
test.after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

test('invoke rebuilds first: an edited source runs as edited; with --no-build the archive on disk runs', async () => {
  const dir = copyProbe();
  dirs.push(dir);
  const project = ['--project', path.join(dir, 'tsconfig.json')];

  // No earlier `sparta build`: invoke builds it.
  const first = await runCli(['invoke', 'Probe.fail', ...project]);
  assert.is(first.code, 1, first.stderr);
  assert.is(JSON.parse(first.stdout).errorMessage, 'probe failed');
  assert.match(first.stderr, /Probe\.fail/, 'build progress on stderr');

  const source = path.join(dir, 'src', 'probe.ts');
  fs.writeFileSync(source, fs.readFileSync(source, 'utf8').replace("'probe failed'", "'probe edited'"));

  const stale = await runCli(['invoke', 'Probe.fail', ...project, '--no-build']);
  assert.is(JSON.parse(stale.stdout).errorMessage, 'probe failed');

  const fresh = await runCli(['invoke', 'Probe.fail', ...project]);
  assert.is(JSON.parse(fresh.stdout).errorMessage, 'probe edited');
});

test('--no-build without a build is SPARTA203', async () => {
  const dir = copyProbe();
  dirs.push(dir);
  const run = await runCli(['invoke', 'Probe.fail', '--project', path.join(dir, 'tsconfig.json'), '--no-build']);
  assert.is(run.code, 1);
  assert.is(run.stdout, '');
  assert.match(run.stderr, 'SPARTA203');
});

// What Lambda itself sets in every execution environment (and what invoke passes through from the host
// for credentials, plus Node's IPC channel to the stand-in runtime): not part of the function's configuration.
const LAMBDA_SET = new Set([
  '_HANDLER', 'TZ', 'LAMBDA_TASK_ROOT', 'AWS_EXECUTION_ENV', 'AWS_REGION', 'AWS_DEFAULT_REGION',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'PATH', 'HOME', 'LANG', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE',
  'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_ENDPOINT_URL', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE',
]);

test('the local environment is the deployed one: same variables, same values (source maps and log level too)', async () => {
  const dir = copyProbe();
  dirs.push(dir);
  const out = path.join(dir, 'out');
  const run = await runCli(['invoke', 'Probe.env', '--project', path.join(dir, 'tsconfig.json'), '--out', out, '--sourcemap']);
  assert.is(run.code, 0, run.stderr);
  const child = JSON.parse(run.stdout) as Record<string, string>;
  const template = JSON.parse(fs.readFileSync(path.join(out, 'probe', 'template.json'), 'utf8'));
  const deployed = Object.values(template.Resources as Record<string, any>).find(
    (resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties.FunctionName === 'probe-Probe-env',
  ).Properties.Environment.Variables as Record<string, unknown>;

  const own = Object.fromEntries(Object.entries(child).filter(([key]) => !LAMBDA_SET.has(key)));
  assert.equal(Object.keys(own).sort(), Object.keys(deployed).sort());
  // Only AWS knows the discovery document's values: deployed it is an Fn::Sub, locally placeholders of the same shape.
  const { SPARTA_DISCOVERY: sub, ...deployedRest } = deployed;
  const { SPARTA_DISCOVERY: local, ...localRest } = own;
  assert.equal(localRest, deployedRest);
  assert.equal(deployedRest, { GREETING: 'hi', NODE_OPTIONS: '--enable-source-maps --no-deprecation', SPARTA_LOG_LEVEL: 'debug' });
  const shape = (document: string) => {
    const parsed = JSON.parse(document);
    return { keys: Object.keys(parsed).sort(), logicalId: parsed.logicalId, resources: Object.keys(parsed.resources).sort() };
  };
  assert.equal(shape(local), shape((sub as { 'Fn::Sub': string })['Fn::Sub']));
});

test.run();
