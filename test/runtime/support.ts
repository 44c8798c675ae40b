import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import AdmZip from 'adm-zip';
import { build } from 'esbuild';
import { REPO_ROOT } from '../helpers/paths';

// Real archives for the runtime tests, made the way the build stage makes them
// (a generated entry calling createHandler, bundled to index.js, zipped), with
// esbuild standing in for the build stage's rollup.

export const RUNTIME_ENTRY = path.join(REPO_ROOT, 'runtime', 'index.ts');

/** Bundles `export const handler = createHandler(ClassName, method)` for a class in `modulePath`. */
export async function bundleFunction(modulePath: string, className: string, method: string, minify = false): Promise<string> {
  const contents = [
    `import { createHandler } from 'sparta';`,
    `import { ${className} } from ${JSON.stringify(modulePath)};`,
    `export const handler = createHandler(${className}, ${JSON.stringify(method)});`,
  ].join('\n');
  return bundleSource(contents, path.dirname(modulePath), minify);
}

export async function bundleSource(contents: string, resolveDir: string, minify = false, external: string[] = []): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify,
    write: false,
    external,
    alias: { sparta: RUNTIME_ENTRY },
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** Zips `files` (name to content) into `dir/name`; returns the archive's path. */
export function zipFiles(dir: string, name: string, files: Record<string, string>): string {
  const zip = new AdmZip();
  for (const [file, content] of Object.entries(files)) zip.addFile(file, Buffer.from(content, 'utf8'));
  const archive = path.join(dir, name);
  zip.writeZip(archive);
  return archive;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `sparta-test-${prefix}-`));
}

export { withEnv } from '../helpers/env';

/** Runs `fn` with process.stdout captured; returns what it wrote, one entry a line. */
export async function captureStdout(fn: () => unknown): Promise<string[]> {
  const original = process.stdout.write;
  let written = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = original;
  }
  return written.split('\n').filter((line) => line !== '');
}

/** A writable that collects everything written to it. */
export function collector(): NodeJS.WritableStream & { text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk) => (text += chunk));
  return Object.assign(stream, { text: () => text });
}


