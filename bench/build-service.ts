import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionManifest, ServiceManifest } from '../manifest/types';

// The bench's generated service: `count` classes in their own modules, each
// with one @Lambda method, a little code of its own and a few helpers taken
// from one shared module. Function 0 also creates an S3 client, so the bench
// can compare a bundled AWS SDK with the one the Lambda runtime provides.

export const SERVICE_NAME = 'bench-service';

const SHARED = `
export function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
export function envelope<T>(kind: string, body: T): { kind: string; at: number; body: T } {
  return { kind, at: Date.now(), body };
}
export function checksum(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return hash >>> 0;
}
export function paginate<T>(items: T[], size: number): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
}
export class Counter {
  private counts = new Map<string, number>();
  add(key: string): number {
    const next = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, next);
    return next;
  }
}
`;

function functionModule(i: number): string {
  const sdk = i === 0;
  return `import { Lambda, Service } from 'sparta';
${sdk ? "import { S3Client } from '@aws-sdk/client-s3';\n" : ''}import { ${i % 2 === 0 ? 'normalise, envelope' : 'checksum, paginate, Counter'} } from './shared';

interface Event${i} { name?: string; items?: number[] }

const TABLE_${i} = ${JSON.stringify(Array.from({ length: 20 }, (_, k) => `entry-${i}-${k}`))};

@Service({ name: '${SERVICE_NAME}' })
export class Function${i} {
${sdk ? "  private s3 = new S3Client({ region: 'us-east-1' });\n" : ''}  @Lambda({ memorySize: ${128 + (i % 4) * 128} })
  async handle${i}(event: Event${i}) {
    const name = event.name ?? 'world';
${i % 2 === 0
    ? `    return envelope('function-${i}', { name: normalise(name), table: TABLE_${i}.length${sdk ? ', region: await this.s3.config.region()' : ''} });`
    : `    const counter = new Counter();
    counter.add(name);
    return { id: ${i}, sum: checksum(name + TABLE_${i}.join(',')), pages: paginate(event.items ?? [1, 2, 3], 2).length, seen: counter.add(name) };`}
  }
}
`;
}

/** Writes the service's sources under `dir` and returns its manifest (as the analyzer would). */
export function generateService(dir: string, count: number): ServiceManifest {
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'shared.ts'), SHARED);
  const functions: FunctionManifest[] = [];
  for (let i = 0; i < count; i += 1) {
    const file = `src/function-${i}.ts`;
    fs.writeFileSync(path.join(dir, file), functionModule(i));
    functions.push({
      id: `Function${i}.handle${i}`,
      service: SERVICE_NAME,
      className: `Function${i}`,
      methodName: `handle${i}`,
      exportName: `Function${i}`,
      source: { file, line: 1, column: 1 },
      options: { memorySize: 128 + (i % 4) * 128 },
      privileges: [],
      events: [],
      dependsOn: [],
    });
  }
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'node16', moduleResolution: 'node16', strict: true, esModuleInterop: true,
        skipLibCheck: true, experimentalDecorators: true, outDir: 'dist', rootDir: 'src', types: ['node'],
      },
      include: ['src'],
    }, null, 2),
  );
  functions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    name: SERVICE_NAME,
    classes: functions.map((fn) => ({ className: fn.className, exportName: fn.exportName, source: fn.source })),
    resources: [],
    functions,
  };
}
