import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServiceManifest } from '../../manifest/types';
import { generateService } from '../../bench/build-service';
import { cdkAppSource, cdkFunctions, childCpuTicks, constructId, functionAssets, type CdkFunction } from '../../bench/peers';
import { setup } from '../helpers/setup';

// The peer bench's CDK app, checked without installing the CDK: the generated
// program runs against a stand-in aws-cdk-lib that records what it declares.

interface Declared {
  stacks: string[];
  functions: { scope: string; id: string; props: Record<string, unknown> }[];
  synths: number;
}

/** Runs the app's source as `node app.js` would, from `appDir`, with aws-cdk-lib replaced by a recorder. */
function runApp(source: string, appDir: string): Declared {
  const declared: Declared = { stacks: [], functions: [], synths: 0 };
  class App {
    synth() {
      declared.synths += 1;
    }
  }
  class Stack {
    constructor(_app: App, readonly id: string) {
      declared.stacks.push(id);
    }
  }
  class NodejsFunction {
    constructor(scope: Stack, id: string, props: Record<string, unknown>) {
      declared.functions.push({ scope: scope.id, id, props });
    }
  }
  const modules: Record<string, unknown> = {
    'node:path': path,
    'aws-cdk-lib': { App, Stack },
    'aws-cdk-lib/aws-lambda': { Runtime: { NODEJS_24_X: 'nodejs24.x' } },
    'aws-cdk-lib/aws-lambda-nodejs': { NodejsFunction },
  };
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`the app requires ${name}`);
    return modules[name];
  };
  new Function('require', '__dirname', source)(require, appDir);
  return declared;
}

const generated = suite<{ dir: string; service: ServiceManifest; functions: CdkFunction[] }>('peers: the CDK app of the generated service');

setup(generated, (context) => {
  context.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-peers-test-'));
  context.service = generateService(context.dir, 50);
  context.functions = cdkFunctions(context.service, (id) => `entries/${constructId(id)}.ts`);
});

generated.after((context) => {
  fs.rmSync(context.dir, { recursive: true, force: true });
});

generated('a construct id is the function id without its dot', () => {
  assert.is(constructId('Function0.handle0'), 'Function0handle0');
  assert.is(constructId('Function49.handle49'), 'Function49handle49');
});

generated('the app declares one NodejsFunction a function, all in one stack, synthesized once', (context) => {
  const declared = runApp(cdkAppSource(context.functions, { bundleAwsSdk: false }), '/project/cdk');
  assert.equal(declared.stacks, ['BenchService']);
  assert.is(declared.functions.length, 50);
  assert.is(new Set(declared.functions.map((fn) => fn.id)).size, 50);
  assert.ok(declared.functions.every((fn) => fn.scope === 'BenchService'));
  assert.is(declared.synths, 1);
});

generated('each function starts at its entry beside the app, exports `handler`, and runs on nodejs24.x', (context) => {
  const declared = runApp(cdkAppSource(context.functions, { bundleAwsSdk: false }), '/project/cdk');
  const fn7 = declared.functions.find((fn) => fn.id === 'Function7handle7')!;
  assert.is(fn7.props.entry, '/project/cdk/entries/Function7handle7.ts');
  assert.is(fn7.props.handler, 'handler');
  assert.is(fn7.props.runtime, 'nodejs24.x');
});

generated("each function keeps its generated memory size (128 MB plus 128 for each step of its index's remainder by 4)", (context) => {
  const declared = runApp(cdkAppSource(context.functions, { bundleAwsSdk: false }), '/project/cdk');
  const memory = (id: string) => declared.functions.find((fn) => fn.id === id)!.props.memorySize;
  assert.is(memory('Function0handle0'), 128);
  assert.is(memory('Function1handle1'), 256);
  assert.is(memory('Function6handle6'), 384);
  assert.is(memory('Function11handle11'), 512);
});

generated("with the SDK external, bundling keeps CDK's defaults (it leaves @aws-sdk/* out for Node 18+)", (context) => {
  const declared = runApp(cdkAppSource(context.functions, { bundleAwsSdk: false }), '/project/cdk');
  assert.ok(declared.functions.every((fn) => JSON.stringify(fn.props.bundling) === '{}'));
});

generated('with the SDK bundled, no module is external', (context) => {
  const declared = runApp(cdkAppSource(context.functions, { bundleAwsSdk: true }), '/project/cdk');
  assert.ok(declared.functions.every((fn) => JSON.stringify(fn.props.bundling) === '{"externalModules":[]}'));
});

generated.run();

const assets = suite('peers: the assets of a synthesized template');

assets('each function names the asset folder of its S3 key, and other resources are left alone', () => {
  const template = {
    Resources: {
      Function0handle0ServiceRole: { Type: 'AWS::IAM::Role', Properties: {} },
      Function0handle0: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: 'b', S3Key: '21d5e4ff.zip' } } },
      Function1handle1: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: 'b', S3Key: '4bfee878.zip' } } },
    },
  };
  assert.equal(functionAssets(template), ['asset.21d5e4ff', 'asset.4bfee878']);
});

assets('a function whose code is no asset zip is an error naming it', () => {
  const template = { Resources: { Inline: { Type: 'AWS::Lambda::Function', Properties: { Code: {} } } } };
  assert.throws(() => functionAssets(template), /Inline: no asset S3Key/);
});

assets.run();

const cpu = suite('peers: the CPU time of a build and the processes it started');

cpu("is the sum of the waited-for children's user and system ticks (fields 16 and 17 of /proc/<pid>/stat)", () => {
  // pid comm state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority ...
  const stat = '4242 (node) S 1 4242 4242 0 -1 4194304 900 12000 0 3 51 7 250 30 20 0 11 0 1000 1000000 5000';
  assert.is(childCpuTicks(stat), 280);
});

cpu('counts fields from the last parenthesis, so a command name with spaces and parentheses does not shift them', () => {
  const stat = '4242 (npm exec (x) y) S 1 4242 4242 0 -1 4194304 900 12000 0 3 51 7 250 30 20 0 11 0 1000 1000000 5000';
  assert.is(childCpuTicks(stat), 280);
});

cpu("grows by this process's finished child's CPU time", () => {
  const ticks = () => childCpuTicks(fs.readFileSync('/proc/self/stat', 'utf8'));
  const before = ticks();
  // A child that spins until it has used 300 ms of CPU, however busy the machine is.
  execFileSync(process.execPath, ['-e', 'const start = process.cpuUsage(); while ((process.cpuUsage(start).user + process.cpuUsage(start).system) < 300000);']);
  assert.ok(ticks() - before >= 25, `${ticks() - before} ticks`);
});

cpu.run();
