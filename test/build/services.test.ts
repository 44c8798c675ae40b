import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BuildReport } from '../../manifest/types';
import { runCli } from '../helpers/cli';
import { smallProject } from './fixture';

// A project with two services: `sparta build` without --service builds both,
// each into its own folder, and building one never touches the other's
// outputs; invoke finds a function by its id in whichever service holds it.

const ORDERS = `import { Service, Lambda } from 'sparta';

@Service({ name: 'orders' })
export class Orders {
  @Lambda()
  place(event: { item: string }) {
    return { placed: event.item };
  }

  @Lambda()
  ping() {
    return 'orders';
  }
}
`;

const BILLING = `import { Service, Lambda } from 'sparta';

@Service({ name: 'billing' })
export class Billing {
  @Lambda()
  charge(event: { cents: number }) {
    return { charged: event.cents * 2 };
  }

  @Lambda()
  ping() {
    return 'billing';
  }
}
`;

function twoServices(): { dir: string; tsconfig: string } {
  const tsconfig = smallProject({ 'src/orders.ts': ORDERS, 'src/billing.ts': BILLING });
  return { dir: path.dirname(tsconfig), tsconfig };
}

const readReport = (dir: string, folder: string) => JSON.parse(fs.readFileSync(path.join(dir, '.sparta', folder, 'build.json'), 'utf8')) as BuildReport;

test('build without --service builds every service, each into <out>/<service> with its own build.json and template.json', async () => {
  const { dir, tsconfig } = twoServices();
  const run = await runCli(['build', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(run.code, 0, run.stderr);
  for (const [folder, ids] of [['orders', ['Orders.ping', 'Orders.place']], ['billing', ['Billing.charge', 'Billing.ping']]] as const) {
    const report = readReport(dir, folder);
    assert.equal(report.functions.map((a) => a.functionId).sort(), [...ids]);
    assert.equal([...new Set(report.functions.map((a) => a.service))], [folder]);
    for (const a of report.functions) assert.ok(fs.existsSync(path.join(dir, '.sparta', folder, a.archive)), a.archive);
    const template = JSON.parse(fs.readFileSync(path.join(dir, '.sparta', folder, 'template.json'), 'utf8'));
    const names = Object.values(template.Resources as Record<string, { Type: string; Properties: { FunctionName?: string } }>)
      .filter((resource) => resource.Type === 'AWS::Lambda::Function')
      .map((resource) => resource.Properties.FunctionName)
      .sort();
    assert.equal(names, ids.map((id) => `${folder}-${id.replace('.', '-')}`).sort());
  }
  // One summary table a service on stdout.
  assert.is(run.stdout.match(/^function\s+zipped/gm)?.length, 2);
  assert.not.ok(fs.existsSync(path.join(dir, '.sparta', 'build.json')), 'no project-wide build.json');
});

test('building one service leaves the other service\'s outputs as they were', async () => {
  const { dir, tsconfig } = twoServices();
  assert.is((await runCli(['build', '--project', tsconfig, '--external-aws-sdk'])).code, 0);
  const billingDir = path.join(dir, '.sparta', 'billing');
  const before = Object.fromEntries(fs.readdirSync(billingDir).map((name) => [name, fs.readFileSync(path.join(billingDir, name), 'utf8')]));
  fs.writeFileSync(path.join(dir, 'src', 'orders.ts'), ORDERS.replace("return 'orders';", "return 'orders, changed';"));
  const run = await runCli(['build', '--project', tsconfig, '--external-aws-sdk', '--service', 'orders']);
  assert.is(run.code, 0, run.stderr);
  assert.match(run.stderr, /^built Orders\.ping /m);
  assert.not.match(run.stderr, /^built Billing\./m);
  const after = Object.fromEntries(fs.readdirSync(billingDir).map((name) => [name, fs.readFileSync(path.join(billingDir, name), 'utf8')]));
  assert.equal(after, before);
});

test('with a stage, a service\'s outputs go to <out>/<service>-<stage>', async () => {
  const { dir, tsconfig } = twoServices();
  const run = await runCli(['build', '--project', tsconfig, '--external-aws-sdk', '--service', 'billing', '--stage', 'dev']);
  assert.is(run.code, 0, run.stderr);
  assert.equal(readReport(dir, 'billing-dev').functions.map((a) => a.service), ['billing-dev', 'billing-dev']);
  assert.not.ok(fs.existsSync(path.join(dir, '.sparta', 'billing')));
  assert.not.ok(fs.existsSync(path.join(dir, '.sparta', 'orders-dev')));
});

test('invoke finds a function by its id across services, without --service', async () => {
  const { dir, tsconfig } = twoServices();
  const event = path.join(dir, 'event.json');
  fs.writeFileSync(event, JSON.stringify({ cents: 21 }));
  const run = await runCli(['invoke', 'Billing.charge', '--project', tsconfig, '--event', event, '--external-aws-sdk']);
  assert.is(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout), { charged: 42 });
});

test('a method name two services share still needs --service (SPARTA103), naming both', async () => {
  const { tsconfig } = twoServices();
  const run = await runCli(['invoke', 'ping', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, 'SPARTA103');
  assert.match(run.stderr, /--service \((orders, billing|billing, orders)\)/);
});

test('a function no service has is SPARTA105, listing every service\'s functions', async () => {
  const { tsconfig } = twoServices();
  const run = await runCli(['invoke', 'Nobody.here', '--project', tsconfig, '--external-aws-sdk']);
  assert.is(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, 'SPARTA105');
  assert.match(run.stderr, /no function Nobody\.here in service (orders, billing|billing, orders)/);
  assert.match(run.stderr, 'billing/Billing.charge');
  assert.match(run.stderr, 'orders/Orders.place');
});

test.run();
