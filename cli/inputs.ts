import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { globSync } from 'tinyglobby';

// What a build's result depends on, hashed: when none of it changed, the
// previous analysis and build are reused as they are. The safe choice: every
// file of the project (a `files` glob, a JSON import, a tsconfig `paths` target
// can read any of them), not only those the last bundle happened to read.

/** Folders never part of the inputs: installed packages (the lockfile stands for them) and version control. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'];

// eslint-disable-next-line @typescript-eslint/no-var-requires
const SPARTA_VERSION = (require('../../package.json') as { version: string }).version;
/** The folder of the sparta that runs (dist/cli/inputs.js is two folders down). */
const SPARTA_ROOT = path.resolve(__dirname, '..', '..');

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

/** A package folder that is not an installed copy: its real path lies in no `node_modules` (npm link, `file:`, a workspace). */
export function isDevelopmentCopy(realDir: string): boolean {
  return !realDir.split(path.sep).includes('node_modules');
}

function realpathOrNone(dir: string): string | undefined {
  try {
    return fs.realpathSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * The real folders of the development copies among the packages where node
 * looks from `dir` (each `node_modules` from it up), and of the sparta that
 * runs when it is one: a linked package's version stays the same while its
 * code changes, so its manifest alone does not say it changed. A link into a
 * `node_modules` (pnpm's store) is an installed copy, covered by its manifest.
 * Sorted, each once.
 */
export function developmentPackages(dir: string): string[] {
  const found = new Set<string>();
  const consider = (folder: string): void => {
    let linked: boolean;
    try {
      linked = fs.lstatSync(folder).isSymbolicLink();
    } catch {
      return;
    }
    const real = linked ? realpathOrNone(folder) : undefined;
    if (real !== undefined && isDevelopmentCopy(real) && isFile(path.join(real, 'package.json'))) found.add(real);
  };
  for (let folder = dir; ; folder = path.dirname(folder)) {
    const modules = path.join(folder, 'node_modules');
    for (const name of readdirOrNone(modules)) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) for (const scoped of readdirOrNone(path.join(modules, name))) consider(path.join(modules, name, scoped));
      else consider(path.join(modules, name));
    }
    if (path.dirname(folder) === folder) break;
  }
  const running = realpathOrNone(SPARTA_ROOT);
  if (running !== undefined && isDevelopmentCopy(running)) found.add(running);
  return [...found].sort();
}

/**
 * The files a package folder would publish, relative to it (posix, sorted):
 * those its package.json `files` names (folders whole, globs, `!` to leave
 * out), else all of them; never `node_modules` or `.git`. npm's
 * always-included files (package.json, README) are left to the manifest.
 */
export function publishedFiles(packageDir: string): string[] {
  let listed: unknown;
  try {
    listed = (JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { files?: unknown }).files;
  } catch {
    listed = undefined;
  }
  const patterns = Array.isArray(listed) ? listed.filter((entry): entry is string => typeof entry === 'string').map((entry) => entry.replace(/^\.?\//, '')) : ['**'];
  const included = patterns.filter((entry) => !entry.startsWith('!'));
  const excluded = patterns.filter((entry) => entry.startsWith('!')).map((entry) => entry.slice(1).replace(/^\.?\//, ''));
  if (included.length === 0) return [];
  // A folder named in `files` is published whole, as npm does: tinyglobby expands it.
  const files = globSync(included, { cwd: packageDir, ignore: [...excluded, '**/node_modules/**', '**/.git/**'], onlyFiles: true, dot: true, followSymbolicLinks: false });
  return [...new Set(files)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
 * lockfile, the installed packages' manifests, the published files of the
 * development copies among them (developmentPackages), the tsconfig chain,
 * sparta's and node's versions. The same inputs
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
  // A development copy inside the project (the project is the package) is hashed with the project's files already.
  const realProject = realpathOrNone(projectDir) ?? projectDir;
  for (const packageDir of developmentPackages(projectDir)) {
    if (packageDir === realProject || packageDir.startsWith(`${realProject}${path.sep}`)) continue;
    hash.update(`development copy ${packageDir}\n`);
    for (const file of publishedFiles(packageDir)) {
      const contents = fs.readFileSync(path.join(packageDir, file));
      hash.update(`${file}\0${contents.length}\0`).update(contents);
    }
  }
  return hash.digest('hex');
}

/** The key of one service's build: the project's inputs plus everything that changes the archives or the template. */
export function buildInputsKey(projectKey: string, settings: Record<string, string | boolean | undefined>): string {
  const sorted = Object.fromEntries(Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return createHash('sha256').update(projectKey).update(JSON.stringify(sorted)).digest('hex');
}
