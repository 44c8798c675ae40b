import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Architecture } from '../../manifest/types';
import { nodeModuleNotLocked, nodeModulePackFailed, nodeModulesInstallFailed } from '../errors';
import { fileSafe } from '../bundle/names';
import { isDevelopmentCopy } from '../inputs';
import type { ZipInput } from './zip';

// `@Lambda({ nodeModules })`: packages the bundle leaves out (native addons
// such as sharp) ship installed in the archive's node_modules, for the
// function's platform, not the building machine's: Linux, its architecture,
// glibc (Amazon Linux). npm itself picks the platform packages
// (`--os/--cpu/--libc`), from a lockfile cut out of the project's: the exact
// versions the project tested with, the package and everything it reaches.
// The install is kept under the out folder, keyed on that lockfile and the
// platform, so a second build installs nothing. A linked package (a
// workspace's, `file:`, npm link) is in no registry: it is installed from its
// packed form (`npm pack`), so the archive holds what it would publish.

/** Lambda's architectures by npm's `cpu` names. */
const NPM_CPU: Record<Architecture, string> = { x86_64: 'x64', arm64: 'arm64' };
/** Bumped when the install's layout or flags change, so that older cached installs are not reused. */
const INSTALL_FORMAT = 1;
const DONE_MARKER = '.sparta-installed';

interface LockedPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockedPackage>;
}

/** The project's npm lockfile: the nearest package-lock.json (or npm-shrinkwrap.json) from the project folder up. */
export function findLockfile(projectDir: string): string | undefined {
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    for (const name of ['npm-shrinkwrap.json', 'package-lock.json']) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** A linked `nodeModules` package, packed: what the lockfile cut out of the project's installs in its place. */
export interface PackedPackage {
  /** The tarball as the install folder's package.json names it (`file:../packs/<name>.tgz`). */
  spec: string;
  integrity: string;
  version: string;
  /** The project lockfile's entry of the linked folder (`packages/my-lib`, `../my-lib`), when it has one. */
  lockKey?: string;
  /** Its package.json's dependencies, for a link the lockfile does not record (npm link). */
  manifest: Pick<LockedPackage, 'dependencies' | 'optionalDependencies' | 'peerDependencies' | 'peerDependenciesMeta'>;
}

/**
 * The folder of `name` when the project has it as a development copy, else undefined: the lockfile says it is a
 * link (a workspace, `file:`), or node finds it through a symlink to a folder in no node_modules (npm link).
 */
export function linkedPackage(lockfile: Lockfile, lockfilePath: string, projectDir: string, name: string): { folder: string; lockKey?: string } | undefined {
  const entry = lockfile.packages?.[`node_modules/${name}`];
  if (entry?.link === true && typeof entry.resolved === 'string') {
    return { folder: path.resolve(path.dirname(lockfilePath), entry.resolved), lockKey: entry.resolved };
  }
  if (entry?.version !== undefined) return undefined;
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    try {
      if (fs.lstatSync(candidate).isSymbolicLink()) {
        const real = fs.realpathSync(candidate);
        return isDevelopmentCopy(real) ? { folder: real } : undefined;
      }
      return undefined;
    } catch {
      // not in this node_modules: node looks in the one above
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

/**
 * `npm pack` of a linked package's folder (scripts off: the archive holds what the folder has now), the tarball
 * kept under `packsDir` by its content. Throws SPARTA208 when npm cannot pack it.
 */
export function packLinked(name: string, linked: { folder: string; lockKey?: string }, packsDir: string, functionId: string): PackedPackage {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sparta-pack-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch, '--loglevel=error'], {
      cwd: linked.folder,
      encoding: 'utf8',
      env: { ...process.env, npm_config_update_notifier: 'false' },
      shell: process.platform === 'win32',
    });
    let packed: { filename?: string; integrity?: string; version?: string } | undefined;
    try {
      packed = (JSON.parse(run.stdout) as Array<typeof packed>)[0];
    } catch {
      packed = undefined;
    }
    if (run.error || run.status !== 0 || !packed?.filename || !packed.integrity || !packed.version) {
      throw nodeModulePackFailed(name, functionId, linked.folder, run.error?.message ?? (run.stderr.trim() || run.stdout));
    }
    const file = `${fileSafe(name)}-${createHash('sha256').update(packed.integrity).digest('hex').slice(0, 16)}.tgz`;
    fs.mkdirSync(packsDir, { recursive: true });
    if (!fs.existsSync(path.join(packsDir, file))) {
      const staging = path.join(packsDir, `${file}.${process.pid}.tmp`);
      fs.copyFileSync(path.join(scratch, packed.filename), staging);
      fs.renameSync(staging, path.join(packsDir, file));
    }
    const { dependencies, optionalDependencies, peerDependencies, peerDependenciesMeta } = JSON.parse(fs.readFileSync(path.join(linked.folder, 'package.json'), 'utf8')) as LockedPackage;
    return {
      spec: `file:../${path.basename(packsDir)}/${file}`,
      integrity: packed.integrity,
      version: packed.version,
      ...(linked.lockKey !== undefined && { lockKey: linked.lockKey }),
      manifest: { dependencies, optionalDependencies, peerDependencies, peerDependenciesMeta },
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * The project lockfile's packages with each packed package in place of its link: `node_modules/<name>` is the
 * tarball, with the linked folder's dependencies, and the packages installed under that folder are under it.
 */
function withPacked(packages: Record<string, LockedPackage>, packed: Record<string, PackedPackage>): Record<string, LockedPackage> {
  const result = { ...packages };
  for (const [name, pack] of Object.entries(packed)) {
    const key = `node_modules/${name}`;
    const target = pack.lockKey !== undefined ? packages[pack.lockKey] : undefined;
    // A workspace's entry has its own devDependencies and name; an installed package's has neither.
    const { name: _name, link: _link, resolved: _resolved, integrity: _integrity, devDependencies: _dev, ...deps } = (target ?? pack.manifest) as LockedPackage;
    result[key] = { ...deps, version: pack.version, resolved: pack.spec, integrity: pack.integrity };
    if (pack.lockKey === undefined) continue;
    const nested = `${pack.lockKey}/node_modules/`;
    for (const [other, entry] of Object.entries(packages)) if (other.startsWith(nested)) result[`${key}/node_modules/${other.slice(nested.length)}`] = entry;
  }
  return result;
}

/** The lockfile entry a package at `from` gets for `name`: node's lookup, nearest node_modules first. */
function locate(packages: Record<string, LockedPackage>, from: string, name: string): string | undefined {
  for (let base = from; ; ) {
    const key = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[key] !== undefined) return key;
    if (base === '') return undefined;
    const up = base.lastIndexOf('/node_modules/');
    base = up < 0 ? '' : base.slice(0, up);
  }
}

/**
 * The lockfile (version 3) of a folder that depends on `names` alone, at the project lockfile's versions: every entry
 * they reach, where the project has it. An entry reached only through optional dependencies (sharp's platform
 * packages) is marked optional, so that npm skips those of other platforms; dev flags are dropped. A `packed`
 * name is its tarball, with the linked folder's dependencies.
 * Throws SPARTA211 for a name the lockfile has no top-level entry for.
 */
export function lockfileFor(lockfile: Lockfile, names: readonly string[], lockfilePath: string, functionId: string, packed: Record<string, PackedPackage> = {}): { packageJson: object; lock: object } {
  const packages = withPacked(lockfile.packages ?? {}, packed);
  const roots: Record<string, string> = {};
  for (const name of [...names].sort()) {
    if (packed[name] !== undefined) {
      roots[name] = packed[name].spec;
      continue;
    }
    const entry = packages[`node_modules/${name}`];
    if (entry?.version === undefined) throw nodeModuleNotLocked(name, functionId, path.basename(lockfilePath));
    roots[name] = entry.version;
  }
  const required = new Set<string>();
  const reached = new Set<string>();
  const walk = (keys: string[], includeOptional: boolean, into: Set<string>) => {
    const pending = [...keys];
    while (pending.length > 0) {
      const key = pending.pop()!;
      if (into.has(key)) continue;
      into.add(key);
      const entry = packages[key]!;
      const edges = { ...entry.dependencies, ...(includeOptional ? entry.optionalDependencies : {}) };
      for (const peer of Object.keys(entry.peerDependencies ?? {})) {
        if (includeOptional || !entry.peerDependenciesMeta?.[peer]?.optional) edges[peer] = entry.peerDependencies![peer]!;
      }
      for (const name of Object.keys(edges)) {
        const found = locate(packages, key, name);
        if (found !== undefined) pending.push(found);
      }
    }
  };
  const rootKeys = Object.keys(roots).map((name) => `node_modules/${name}`);
  walk(rootKeys, false, required);
  walk(rootKeys, true, reached);
  const subset: Record<string, LockedPackage> = { '': { dependencies: roots } };
  for (const key of [...reached].sort()) {
    const { dev: _dev, devOptional: _devOptional, optional: _optional, peer: _peer, ...entry } = packages[key]!;
    subset[key] = required.has(key) ? entry : { ...entry, optional: true };
  }
  return {
    packageJson: { name: 'sparta-node-modules', version: '0.0.0', private: true, dependencies: roots },
    lock: { name: 'sparta-node-modules', version: '0.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'sparta-node-modules', version: '0.0.0', ...subset[''] }, ...Object.fromEntries(Object.entries(subset).filter(([key]) => key !== '')) } },
  };
}

/**
 * The packages a function's archive must hold: those it lists, and those another function of the service lists
 * that its bundle requires all the same (one shared build leaves a `nodeModules` package out for every function;
 * rollup writes each such import as `require('<name>')` or `require('<name>/<subpath>')`, and in ES modules as
 * `from '<name>'`, `import '<name>'` or `import('<name>')`).
 */
export function packagesToInstall(own: readonly string[] | undefined, serviceWide: ReadonlySet<string>, bundleCode: readonly { path: string; contents: Buffer }[]): string[] {
  const wanted = new Set(own ?? []);
  const others = [...serviceWide].filter((name) => !wanted.has(name));
  if (others.length > 0) {
    const code = (extension: string) => bundleCode.filter((file) => file.path.endsWith(extension)).map((file) => file.contents.toString('utf8')).join('\n');
    const [commonJs, esModules] = [code('.js'), code('.mjs')];
    for (const name of others) {
      const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      if (new RegExp(`require\\(['"]${escaped}(?:/[^'"]*)?['"]\\)`).test(commonJs)) wanted.add(name);
      // Terser's output leaves no space: `from"sharp"`.
      else if (new RegExp(`(?:\\bimport\\(|\\bfrom\\s*|\\bimport\\s*)['"]${escaped}(?:/[^'"]*)?['"]`).test(esModules)) wanted.add(name);
    }
  }
  return [...wanted].sort();
}

export interface NodeModulesRequest {
  projectDir: string;
  /** Where installs are kept: `<out>/cache/node-modules/<key>`. */
  outDir: string;
  functionId: string;
  packages: readonly string[];
  architecture: Architecture;
}

/**
 * Installs `packages` for Linux on `architecture` (glibc) and returns the files of the resulting node_modules as
 * archive entries under `node_modules/`. A finished install under the same key is reused; one left half-done is
 * not (the marker is written last). `memo` and `packs` live for one build: an install and a packed linked package
 * serve every function that lists them.
 */
export function nodeModulesFiles(request: NodeModulesRequest, memo: Map<string, ZipInput[]> = new Map(), packs: Map<string, PackedPackage> = new Map()): ZipInput[] {
  const lockfilePath = findLockfile(request.projectDir);
  if (lockfilePath === undefined) throw nodeModuleNotLocked(request.packages[0]!, request.functionId, undefined);
  const lockfile = JSON.parse(fs.readFileSync(lockfilePath, 'utf8')) as Lockfile;
  const packsDir = path.join(request.outDir, 'cache', 'node-modules', 'packs');
  const packed: Record<string, PackedPackage> = {};
  for (const name of request.packages) {
    const linked = linkedPackage(lockfile, lockfilePath, request.projectDir, name);
    if (linked === undefined) continue;
    // Once a build: the functions that list it get the same tarball (a watching serve builds again, and packs again).
    const pack = packs.get(linked.folder) ?? packLinked(name, linked, packsDir, request.functionId);
    packs.set(linked.folder, pack);
    packed[name] = pack;
  }
  // A packed package's tarball is named by its content: a changed linked package is another lock, another install.
  const { packageJson, lock } = lockfileFor(lockfile, request.packages, lockfilePath, request.functionId, packed);
  const cpu = NPM_CPU[request.architecture];
  const key = createHash('sha256').update(JSON.stringify({ INSTALL_FORMAT, cpu, os: 'linux', libc: 'glibc', lock })).digest('hex').slice(0, 16);
  const cached = memo.get(key);
  if (cached) return cached;
  const dir = path.join(request.outDir, 'cache', 'node-modules', `${cpu}-${key}`);
  if (!fs.existsSync(path.join(dir, DONE_MARKER))) install(dir, packageJson, lock, cpu, request.packages);
  const files = readInstalled(path.join(dir, 'node_modules'));
  memo.set(key, files);
  return files;
}

function install(dir: string, packageJson: object, lock: object, cpu: string, packages: readonly string[]): void {
  const staging = `${dir}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, 'package.json'), JSON.stringify(packageJson, null, 2));
  fs.writeFileSync(path.join(staging, 'package-lock.json'), JSON.stringify(lock, null, 2));
  // Install scripts would run for the building machine, not the function's (sharp's would try to compile).
  const args = ['ci', `--os=linux`, `--cpu=${cpu}`, '--libc=glibc', '--ignore-scripts', '--no-audit', '--no-fund', '--no-bin-links', '--include=optional', '--loglevel=error'];
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // npm before 10 ignores --os/--cpu/--libc without a word, and would install the building machine's binaries.
  const version = spawnSync(npm, ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  const major = Number(/^(\d+)\./.exec(version.stdout ?? '')?.[1]);
  if (version.error || !(major >= 10)) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw nodeModulesInstallFailed(packages, `linux-${cpu} (glibc)`, version.error?.message ?? `npm ${version.stdout.trim() || '(no version)'} cannot choose another platform's packages; npm 10 or later can`);
  }
  const run = spawnSync(npm, args, { cwd: staging, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' }, shell: process.platform === 'win32' });
  if (run.error || run.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw nodeModulesInstallFailed(packages, `linux-${cpu} (glibc)`, run.error?.message ?? `${run.stderr}${run.stdout}`);
  }
  fs.writeFileSync(path.join(staging, DONE_MARKER), '');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
}

/** Every regular file under `modulesDir`, as `node_modules/<path>`; npm's own bookkeeping and `.bin` links stay out. */
function readInstalled(modulesDir: string): ZipInput[] {
  const files: ZipInput[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of fs.readdirSync(path.join(modulesDir, dir), { withFileTypes: true })) {
      const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (dir === '' && (entry.name === '.package-lock.json' || entry.name === '.bin')) continue;
      if (entry.isDirectory()) pending.push(relative);
      else if (entry.isFile()) files.push({ path: `node_modules/${relative}`, contents: fs.readFileSync(path.join(modulesDir, relative)) });
    }
  }
  return files;
}
