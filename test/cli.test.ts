import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from './helpers/cli';
import { EXAMPLES } from './helpers/paths';

// The CLI's own errors, through the real command line: each fails before any
// build or AWS call (a tsconfig that does not exist would fail next, as SPARTA101).

const MISSING_PROJECT = path.join(os.tmpdir(), 'sparta-no-such-project', 'tsconfig.json');

test('sparta --version prints the package version', async () => {
  const run = await runCli(['--version']);
  assert.is(run.code, 0);
  assert.match(run.stdout, /^\d+\.\d+\.\d+/);
});

test('an invalid bucket name says it is invalid and why, before the build', async () => {
  const cases: Array<[string, string]> = [
    ['Bad_Bucket', 'contains "B"'],
    ['ab', 'has 2 characters'],
    [`b${'a'.repeat(63)}`, 'has 64 characters'],
    ['.bucket', 'start and end with a lowercase letter or a digit'],
    ['bucket-', 'start and end with a lowercase letter or a digit'],
    ['my..bucket', 'two adjacent dots'],
    ['192.168.5.4', 'IP address'],
    ['xn--bucket', 'starts with "xn--"'],
    ['bucket-s3alias', 'ends with "-s3alias"'],
    ['bucket--ol-s3', 'ends with "--ol-s3"'],
  ];
  for (const [name, reason] of cases) {
    const run = await runCli(['provision', '--project', MISSING_PROJECT, '--s3-bucket', name]);
    assert.is(run.code, 1, name);
    assert.match(run.stderr, `SPARTA113: --s3-bucket "${name}" is not a valid S3 bucket name: it `, name);
    assert.match(run.stderr, reason, name);
  }
});

test('a valid bucket name with dots and digits passes the check', async () => {
  const run = await runCli(['provision', '--project', MISSING_PROJECT, '--s3-bucket', 'my.artifacts-2024', '--region', 'us-east-1'], { AWS_PROFILE: undefined });
  assert.match(run.stderr, 'SPARTA101');
});

/** A config file with `default`, `dev` and an sso-session, a credentials file with `prod`. */
function awsFiles(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-aws-'));
  const config = path.join(dir, 'config');
  const credentials = path.join(dir, 'credentials');
  fs.writeFileSync(config, '[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n\n[sso-session corp]\nsso_region = us-east-1\n');
  fs.writeFileSync(credentials, '[prod]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n');
  return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
}

test('--profile nope says the profile is in neither config file, names both files and the profiles found', async () => {
  const files = awsFiles();
  const run = await runCli(['provision', '--project', MISSING_PROJECT, '--s3-bucket', 'artifacts', '--profile', 'nope'], { ...files, AWS_PROFILE: undefined });
  assert.is(run.code, 1);
  assert.match(run.stderr, `SPARTA114: --profile nope: no profile "nope" in ${files.AWS_CONFIG_FILE} or ${files.AWS_SHARED_CREDENTIALS_FILE}`);
  assert.match(run.stderr, 'profiles found: default, dev, prod');
});

test('AWS_PROFILE naming a missing profile fails the same way, for describe too', async () => {
  const run = await runCli(['describe', '--project', path.join(EXAMPLES, 'hello', 'tsconfig.json')], { ...awsFiles(), AWS_PROFILE: 'nope' });
  assert.is(run.code, 1);
  assert.match(run.stderr, 'SPARTA114: AWS_PROFILE=nope: no profile "nope"');
});

test('a profile from either file passes the check', async () => {
  for (const profile of ['dev', 'prod']) {
    const run = await runCli(['provision', '--project', MISSING_PROJECT, '--s3-bucket', 'artifacts', '--profile', profile, '--region', 'us-east-1'], { ...awsFiles(), AWS_PROFILE: undefined });
    assert.match(run.stderr, 'SPARTA101', profile);
  }
});

test('delete checks --s3-bucket the same way, before reading the project', async () => {
  const run = await runCli(['delete', '--yes', '--purge-artifacts', '--project', MISSING_PROJECT, '--s3-bucket', 'Bad_Bucket']);
  assert.is(run.code, 1);
  assert.match(run.stderr, 'SPARTA113: --s3-bucket "Bad_Bucket" is not a valid S3 bucket name');
});

test.run();
