import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

// What a build's result depends on, hashed: when none of it changed, the
// previous analysis and build are reused as they are. The safe choice: every
// file of the project (a `files` glob, a JSON import, a tsconfig `paths` target
// can read any of them), not only those the last bundle happened to read.

/** Folders never part of the inputs: installed packages (the lockfile stands for them) and version control. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'];

// eslint-disable-next-line @typescript-eslint/no-var-requires
const SPARTA_VERSION = (require('../../package.json') as { version: string }).version;

/** Every file under `dir` (relative, posix separators, sorted), leaving out `SKIPPED_FOLDERS` and `outDir`. */
export function projectFiles(dir: string, outDir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name) && file !== outDir) walk(file);
      } else if (entry.isFile() || (entry.isSymbolicLink() && isFile(file))) {
        // A linked folder is not followed: a link back up would never end.
        files.push(path.relative(dir, file).split(path.sep).join('/'));
      }
    }
  };
  walk(dir);
  return files.sort();
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The lockfiles in `dir` or the nearest folder above it that has one (a workspace's lockfile sits at its root). */
export function lockfilesOf(dir: string): string[] {
  for (let folder = dir; ; folder = path.dirname(folder)) {
    const found = LOCKFILES.map((name) => path.join(folder, name)).filter(isFile);
    if (found.length > 0) return found;
    if (path.dirname(folder) === folder) return [];
  }
}

/**
 * The manifest of every package installed where node and the compiler look
 * (`node_modules` of the project's folder and each folder above it): a
 * dependency installed or changed in place (`"type": "module"`, a new
 * version) changes the key even when the lockfile does not. npm's own record
 * of the install (`node_modules/.package-lock.json`) is among them.
 */
export function installedManifests(dir: string): string[] {
  const found: string[] = [];
  for (let folder = dir; ; folder = path.dirname(folder)) {
    const modules = path.join(folder, 'node_modules');
    for (const name of readdirOrNone(modules)) {
      if (name === '.package-lock.json') found.push(path.join(modules, name));
      else if (name.startsWith('@')) for (const scoped of readdirOrNone(path.join(modules, name))) found.push(path.join(modules, name, scoped, 'package.json'));
      else if (!name.startsWith('.')) found.push(path.join(modules, name, 'package.json'));
    }
    if (path.dirname(folder) === folder) return found.filter(isFile);
  }
}

function readdirOrNone(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The tsconfig and the files it `extends` by path (an extended package is covered by the lockfile). */
export function tsconfigChain(tsconfigPath: string): string[] {
  const chain: string[] = [];
  const visit = (file: string): void => {
    if (chain.includes(file) || !isFile(file)) return;
    chain.push(file);
    // Only a tsconfig that may extend another is parsed (with the compiler's reader: comments, trailing commas).
    if (!fs.readFileSync(file, 'utf8').includes('extends')) return;
    const ts = require('typescript') as typeof import('typescript');
    const { config } = ts.readConfigFile(file, ts.sys.readFile);
    const extended: unknown = config?.extends;
    for (const target of Array.isArray(extended) ? extended : [extended]) {
      if (typeof target !== 'string' || !(target.startsWith('.') || path.isAbsolute(target))) continue;
      const resolved = path.resolve(path.dirname(file), target);
      visit(resolved.endsWith('.json') ? resolved : `${resolved}.json`);
    }
  };
  visit(path.resolve(tsconfigPath));
  return chain;
}

/**
 * The hash of everything the analysis reads: the project's files, the
 * lockfile, the installed packages' manifests, the tsconfig chain, sparta's
 * and node's versions. The same inputs
 * give the same manifest; build options are added on top by `buildInputsKey`.
 */
export function projectInputsKey(projectDir: string, tsconfigPath: string, outDir: string): string {
  const hash = createHash('sha256');
  hash.update(`sparta ${SPARTA_VERSION}\nnode ${process.version}\n`);
  const inside = projectFiles(projectDir, outDir).map((file) => path.join(projectDir, file));
  const outside = [...lockfilesOf(projectDir), ...tsconfigChain(tsconfigPath), ...installedManifests(projectDir)].filter((file) => !inside.includes(file));
  for (const file of [...inside, ...outside]) {
    const contents = fs.readFileSync(file);
    // Name and length first: no two different file sets hash the same stream.
    hash.update(`${path.relative(projectDir, file)}\0${contents.length}\0`).update(contents);
  }
  return hash.digest('hex');
}

/** The key of one service's build: the project's inputs plus everything that changes the archives or the template. */
export function buildInputsKey(projectKey: string, settings: Record<string, string | boolean | undefined>): string {
  const sorted = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(projectKey).update(JSON.stringify(sorted)).digest('hex');
}
