import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { findings, lintTemplates } from '../helpers/cfn-lint';
import { EXAMPLES } from '../helpers/paths';

// What a user lints: the template `sparta build` writes for examples/hello,
// archives and all, not one assembled from a manifest in the test.

const test = suite('template: cfn-lint on the built examples/hello');

test('`sparta build` of examples/hello writes a template cfn-lint passes with no error and no warning', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'sparta-hello-build-'));
  try {
    const run = await runCli(['build', '--project', path.join(EXAMPLES, 'hello', 'tsconfig.json'), '--out', out, '--external-aws-sdk']);
    assert.is(run.code, 0, run.stderr);
    const file = path.join(out, 'hello-sparta', 'template.json');
    const lint = await lintTemplates([file]);
    assert.equal(findings(lint, file, 'Error'), []);
    assert.equal(findings(lint, file, 'Warning'), []);
    assert.is(lint.exitCode, 0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
