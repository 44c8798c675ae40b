// Provision timings against moto on loopback: first provision, no-op
// provision and a one-function change, with the AWS API calls each made, for
// a small service and a 50-function one. Target: the 50-function no-op under
// 3 s with zero uploads and zero stack updates.
//
// The plans are hand-made (real zips, template-stage-shaped templates) until
// the build and template stages merge; then the bench switches to real builds.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { converge } from '../cli/converge/converge';
import { silentIo } from '../cli/converge/messages';
import { buildHandmade, generatedService, planOf, type HandmadeService } from '../test/helpers/handmade';
import { MOTO_REGION, motoAws, startMoto } from '../test/helpers/moto';

export interface BenchRow {
  service: string;
  functions: number;
  step: 'first provision' | 'no-op provision' | 'one-function change';
  ms: number;
  calls: number;
  uploads: number;
  changeSetsExecuted: number;
  result: string;
}

const BUCKET = 'sparta-bench';

function smallService(version: string): HandmadeService {
  return {
    name: 'bench-hello',
    functions: [
      { id: 'Hello.hello', body: `hello ${version}` },
      { id: 'Hello.onAlert', body: 'onAlert' },
      { id: 'Hello.tick', body: 'tick', schedule: 'rate(5 minutes)' },
    ],
  };
}

function fiftyService(version: string): HandmadeService {
  return generatedService('bench-fifty', 50, { scheduled: 10, version: (i) => (i === 0 ? version : 'v1') });
}

export async function measure(): Promise<BenchRow[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const moto = await startMoto();
  const rows: BenchRow[] = [];
  try {
    const aws = motoAws(moto);
    await aws.sdk.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const deps = { aws: aws.apis, region: MOTO_REGION, io: silentIo, timeoutMs: 10 * 60_000, pollIntervalMs: 100 };
    for (const [make, label] of [
      [smallService, 'hello-shaped'],
      [fiftyService, '50 functions'],
    ] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), 'sparta-bench-'));
      const steps: [BenchRow['step'], string][] = [
        ['first provision', 'v1'],
        ['no-op provision', 'v1'],
        ['one-function change', 'v2'],
      ];
      for (const [step, version] of steps) {
        const service = make(version);
        aws.counter.reset();
        const started = process.hrtime.bigint();
        // The build is part of what a real provision pays for; here it is only zipping.
        const plan = planOf(buildHandmade(service, dir), BUCKET);
        const result = await converge(plan, deps);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        rows.push({
          service: label,
          functions: service.functions.length,
          step,
          ms: Math.round(ms),
          calls: aws.counter.total(),
          uploads: aws.counter.count('PutObject'),
          changeSetsExecuted: aws.counter.count('ExecuteChangeSet'),
          result: result.type,
        });
      }
    }
  } finally {
    await moto.stop();
  }
  return rows;
}

export function report(rows: BenchRow[]): string {
  const header = ['service', 'functions', 'step', 'ms', 'API calls', 'PutObject', 'executed', 'result'];
  const body = rows.map((r) => [r.service, String(r.functions), r.step, String(r.ms), String(r.calls), String(r.uploads), String(r.changeSetsExecuted), r.result]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const noop = rows.find((r) => r.functions === 50 && r.step === 'no-op provision');
  const verdict = noop
    ? `50-function no-op: ${noop.ms} ms, ${noop.uploads} uploads, ${noop.changeSetsExecuted} stack updates (target < 3000 ms, 0, 0): ${noop.ms < 3000 && noop.uploads === 0 && noop.changeSetsExecuted === 0 ? 'met' : 'MISSED'}`
    : '';
  return [line(header), ...body.map(line), '', verdict].join('\n');
}

/** Runs the measurements and prints the table. */
export async function bench(): Promise<void> {
  process.stdout.write(`${report(await measure())}\n`);
}

if (require.main === module) {
  bench().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
