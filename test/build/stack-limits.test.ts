// A service over CloudFormation's limits fails `sparta build` from its
// manifest alone, before anything is bundled; `explain` shows the same numbers.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli';
import { writeProject } from '../helpers/handmade';

const test = suite('stack limits from the manifest');

/** One class with `resources` SSM parameters declared and `functions` methods. */
function project(resources: number, functions: number): string {
  const declared = Array.from({ length: resources }, (_, index) => `@Resource('Setting${index}', { Type: 'AWS::SSM::Parameter', Properties: { Type: 'String', Value: '${index}' } })`);
  const methods = Array.from({ length: functions }, (_, index) => `  @Lambda()\n  f${index}() {\n    return ${index};\n  }\n`);
  const source = `import { Lambda, Resource, Service } from 'sparta';\n\n@Service({ name: 'crowded' })\n${declared.join('\n')}\nexport class Crowded {\n${methods.join('\n')}}\n`;
  return writeProject({ 'src/crowded.ts': source });
}

test('over one stack, the functions nest; 500 @Resource declarations and a function: SPARTA302 before bundling, nothing written', async () => {
  // 497 + two functions' 8 do not fit one stack; nested, the parent keeps the 497 and gains a child or two: it fits...
  const fits = project(497, 2);
  const ok = await runCli(['explain', '--project', path.join(fits, 'tsconfig.json')]);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /over one stack \(as one: 505 resources\): 2 functions nested in [12] child stacks/);
  assert.not.match(ok.stdout, 'SPARTA3');

  // ...and 500 declarations leave no room for the child stack.
  const root = project(500, 1);
  const out = path.join(root, '.sparta');
  const run = await runCli(['build', '--project', path.join(root, 'tsconfig.json'), '--out', out, '--no-typecheck']);
  assert.is(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, 'SPARTA302');
  assert.match(run.stderr, '501 resources');
  assert.ok(!fs.existsSync(path.join(out, 'crowded', 'build.json')), 'no build report');
  assert.equal(fs.existsSync(out) ? fs.readdirSync(out, { recursive: true }).filter((file) => String(file).endsWith('.zip')) : [], [], 'nothing bundled');

  const explained = await runCli(['explain', '--project', path.join(root, 'tsconfig.json')]);
  assert.is(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, 'SPARTA302: the template has 501 resources');
});

test.run();
