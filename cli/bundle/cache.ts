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
  let data: Buffer;
  try {
    data = fs.readFileSync(cacheFile(cacheDir, key));
  } catch {
    return undefined;
  }
  const payloadStart = MAGIC.length + DIGEST_BYTES;
  if (data.length <= payloadStart || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const payload = data.subarray(payloadStart);
  if (!digest(payload).equals(data.subarray(MAGIC.length, payloadStart))) return undefined;
  try {
    const cache = v8.deserialize(payload) as RollupCache;
    return isCache(cache) ? cache : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores `cache` under `key` (whole or not at all) and removes the files of other keys: one build, one cache.
 * v8's serialisation, not JSON: syntax trees hold BigInt literals. The trees are kept although they are three
 * quarters of the file (13 MB of 17 on the bench service, SDK bundled): without them rollup parses every module
 * again, which measured slower than reading them (rollup's part of a warm build 11.8 s against 7.7 s, one loaded run each).
 */
export function writeCache(cacheDir: string, key: string, cache: RollupCache): void {
  const payload = v8.serialize(cache);
  const file = cacheFile(cacheDir, key);
  fs.mkdirSync(cacheDir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, Buffer.concat([MAGIC, digest(payload), payload]));
  fs.renameSync(temporary, file);
  for (const name of fs.readdirSync(cacheDir)) {
    if (name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX) && path.join(cacheDir, name) !== file) fs.rmSync(path.join(cacheDir, name), { force: true });
  }
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
