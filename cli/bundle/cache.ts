import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import type { RollupCache } from 'rollup';

// Rollup's own cache of the last build (each module's resolved imports,
// transformed code and syntax tree), kept on disk so that the next build
// re-transforms only the modules whose text changed: rollup re-reads every
// module and compares it with the cached text itself, so a cached module is
// never trusted blindly. What the cached text cannot tell (where a package
// import resolves, how TypeScript compiles, which sparta and rollup made the
// entries) is in the file's key instead: a change there starts afresh.

/** What the cached modules depend on besides their own text. */
export interface CacheKeyInputs {
  projectDir: string;
  /** The compiler options the TypeScript transform uses, as given to it. */
  compilerOptions: unknown;
  /** Anything else of the bundle's options that changes a module's transform or resolution. */
  bundle: unknown;
}

/** Package managers' lockfiles: a different install resolves imports to different files. */
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];

const FILE_PREFIX = 'rollup-';
const OUTPUTS_PREFIX = 'outputs-';
const FILE_SUFFIX = '.bin';
/** Leads every cache file, with the payload's digest after it: a file that does not start so is not ours. */
const MAGIC = Buffer.from('sparta-rollup-cache\n');
const DIGEST_BYTES = 20;

/** The key of the cache file: every input above, the lockfile's text, and sparta's, rollup's and node's versions. */
export function cacheKey(inputs: CacheKeyInputs): string {
  const { VERSION: rollupVersion } = require('rollup') as typeof import('rollup');
  const hash = createHash('sha256');
  const lockfile = nearestLockfile(inputs.projectDir);
  hash.update(JSON.stringify({
    sparta: spartaVersion(),
    rollup: rollupVersion,
    node: process.version,
    projectDir: path.resolve(inputs.projectDir),
    compilerOptions: inputs.compilerOptions,
    bundle: inputs.bundle,
    lockfile: lockfile && path.relative(inputs.projectDir, lockfile),
  }));
  if (lockfile) hash.update(fs.readFileSync(lockfile));
  return hash.digest('hex').slice(0, 32);
}

export function cacheFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${FILE_PREFIX}${key}${FILE_SUFFIX}`);
}

/** The cache stored under `key`, or undefined when there is none or it is damaged (then it is rebuilt). */
export function readCache(cacheDir: string, key: string): RollupCache | undefined {
  const cache = readStored(cacheFile(cacheDir, key));
  return isCache(cache) ? cache : undefined;
}

/**
 * Stores `cache` under `key`, whole or not at all.
 * v8's serialisation, not JSON: syntax trees hold BigInt literals. The trees are kept although they are three
 * quarters of the file (13 MB of 17 on the bench service, SDK bundled): without them rollup parses every module
 * again, which measured slower than reading them (rollup's part of a warm build 11.8 s against 7.7 s, one loaded run each).
 */
export function writeCache(cacheDir: string, key: string, cache: RollupCache): void {
  writeStored(cacheFile(cacheDir, key), cache);
}

/**
 * What one group's build wrote (groups.ts), kept apart from rollup's far larger cache so that a group whose
 * modules are all as they were is reused without reading that.
 */
export interface StoredOutputs {
  /** Every module of the build read from a file, with the sha256 of the text it had. */
  modules: Array<[file: string, sha256: string]>;
  /** The digest of what else the output depends on: the group's generated entries and the output options. */
  entries: string;
  /** The digest of the names of the project's files when it was built. */
  files: string;
  bundles: Array<{ functionId: string; files: Array<{ path: string; contents: Buffer }> }>;
  /** Rollup's warnings of the build, to say again when it is reused. */
  logs: Array<{ code?: string; message: string; id?: string; ids?: string[]; loc?: { file?: string; line: number; column: number } }>;
}

export function outputsFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${OUTPUTS_PREFIX}${key}${FILE_SUFFIX}`);
}

export function readOutputs(cacheDir: string, key: string): StoredOutputs | undefined {
  const outputs = readStored(outputsFile(cacheDir, key)) as StoredOutputs | undefined;
  return Array.isArray(outputs?.modules) && Array.isArray(outputs.bundles) && typeof outputs.entries === 'string' && typeof outputs.files === 'string' && Array.isArray(outputs.logs) ? outputs : undefined;
}

export function writeOutputs(cacheDir: string, key: string, outputs: StoredOutputs): void {
  writeStored(outputsFile(cacheDir, key), outputs);
}

/** True when every module the outputs were built from still has the text it had. */
export function modulesUnchanged(outputs: StoredOutputs): boolean {
  return outputs.modules.every(([file, sha256]) => {
    try {
      return textDigest(fs.readFileSync(file, 'utf8')) === sha256;
    } catch {
      return false;
    }
  });
}

export function textDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Removes the files of every key but `keep`'s: a build's groups, one cache. */
export function pruneCache(cacheDir: string, keep: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = fs.readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const key = [FILE_PREFIX, OUTPUTS_PREFIX].filter((prefix) => name.startsWith(prefix)).map((prefix) => name.slice(prefix.length, -FILE_SUFFIX.length))[0];
    if (key !== undefined && name.endsWith(FILE_SUFFIX) && !keep.has(key)) fs.rmSync(path.join(cacheDir, name), { force: true });
  }
}

/** A value stored by writeStored, or undefined when the file is missing, damaged or not ours. */
function readStored(file: string): unknown {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const payloadStart = MAGIC.length + DIGEST_BYTES;
  if (data.length <= payloadStart || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const payload = data.subarray(payloadStart);
  if (!digest(payload).equals(data.subarray(MAGIC.length, payloadStart))) return undefined;
  try {
    return v8.deserialize(payload);
  } catch {
    return undefined;
  }
}

/** Writes to a temporary file renamed into place: a build stopped halfway leaves the old file or the new, whole. */
function writeStored(file: string, value: unknown): void {
  const payload = v8.serialize(value);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([MAGIC, digest(payload), payload]));
  fs.renameSync(temporary, file);
}

/** sha1 is enough to tell damage (not an attacker: whoever can write the out folder can write the archives). */
function digest(payload: Buffer): Buffer {
  return createHash('sha1').update(payload).digest();
}

function isCache(value: unknown): value is RollupCache {
  const modules = (value as RollupCache | undefined)?.modules;
  return Array.isArray(modules) && modules.every((m) => typeof m?.id === 'string' && typeof m.originalCode === 'string' && typeof m.code === 'string');
}

function nearestLockfile(projectDir: string): string | undefined {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    for (const name of LOCKFILES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

function spartaVersion(): string {
  // From dist/cli/bundle (and dist/esm/cli/bundle, which has no package.json of its own to find first).
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'sparta') return pkg.version ?? 'unknown';
  }
  return 'unknown';
}
