import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { InputOptions, OutputChunk, OutputOptions, Plugin, RollupCache, RollupLog } from 'rollup';
import type { FunctionManifest, ModuleFormat } from '../../manifest/types';
import { bundleFailed, SpartaError } from '../errors';
import { codeExtension, ENTRY_FILE, ENTRY_PREFIX, entryId, entrySource, ESM_ENTRY_FILE } from './entry';
import { isTopLevelAwaitError, moduleGraph, topLevelAwaitError } from './top-level-await';
import { refuseNativeAddons } from './native';
import { jsonModules, projectCodeAsWritten, spartaEntries } from './plugins';
import { cacheKey, modulesUnchanged, pruneCache, readCache, readOutputs, textDigest, writeCache, writeOutputs, type StoredOutputs } from './cache';
import { bundleGroups, type BundleGroup } from './groups';
import { projectFiles } from '../inputs';
import { compilerPathResolution, realPaths } from './resolve';
import { readTsconfig } from './tsconfig';
import { runtimeImports } from './runtime-imports';
import { typescriptTranspile } from './typescript';

export interface BundleOptions {
  projectDir: string;
  tsconfigPath: string;
  functions: readonly FunctionManifest[];
  minify?: boolean;
  sourcemap?: boolean;
  /**
   * Ship `@aws-sdk/*` inside the bundle (default) rather than use the copy the Lambda runtime provides:
   * tree-shaken from the SDK's ES modules it initialises about 3x faster (bench/build.ts).
   */
  bundleAwsSdk?: boolean;
  /**
   * Where rollup's cache of this build is kept for the next (cache.ts): a build after a one-file change
   * re-transforms that file alone. None: every build starts afresh.
   */
  cacheDir?: string;
  /** The build's output folder, which is no part of the project's files (see entriesDigest). */
  outDir?: string;
  /** Each of rollup's warnings on its own, as rollup words it, instead of one line a package for third-party ones. */
  verboseWarnings?: boolean;
  /** Bundler warnings worth a user's attention, already formatted. */
  onWarning?: (message: string) => void;
}

/** One file of a function's archive: `path` is relative to the archive root, posix separators. */
export interface BundleFile {
  path: string;
  contents: Buffer;
}

export interface FunctionBundle {
  functionId: string;
  files: BundleFile[];
}

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
const CHUNK_DIR = 'chunks';

/**
 * Bare imports rollup must leave as `require(...)`: node's own modules, the SDK the Lambda runtime provides, and
 * the packages (with their subpaths) that functions list in `external`, for a layer to provide.
 */
export function isExternal(id: string, bundleAwsSdk: boolean, external: ReadonlySet<string> = new Set()): boolean {
  if (BUILTINS.has(id) || id.startsWith('node:')) return true;
  if (external.size > 0) {
    const name = /^(?:@[^/]+\/)?[^/]+/.exec(id)?.[0];
    if (name !== undefined && external.has(name)) return true;
  }
  return !bundleAwsSdk && id.startsWith('@aws-sdk/');
}

/**
 * Every package some function leaves out, for a layer (`external`) or for its archive's node_modules (`nodeModules`):
 * one shared build has one `external` (see `external` in the README).
 */
export function externalPackages(functions: readonly FunctionManifest[]): Set<string> {
  return new Set(functions.flatMap((fn) => [...(fn.options.external ?? []), ...(fn.options.nodeModules ?? [])]));
}

/**
 * Warnings that say nothing actionable about the user's code (TypeScript's own
 * decorator helper starts with a top-level `this`, for one).
 */
const QUIET_WARNINGS = new Set(['CIRCULAR_DEPENDENCY', 'THIS_IS_UNDEFINED', 'EMPTY_BUNDLE', 'SOURCEMAP_ERROR', 'MIXED_EXPORTS']);

/** How a package's warnings are counted in its summary line, by rollup's code: singular and plural. */
const WARNING_KINDS: Record<string, [string, string]> = {
  CIRCULAR_DEPENDENCY: ['circular dependency', 'circular dependencies'],
  THIS_IS_UNDEFINED: ['this-rewrite', 'this-rewrites'],
  EVAL: ['use of eval', 'uses of eval'],
  MODULE_LEVEL_DIRECTIVE: ['module-level directive', 'module-level directives'],
  SOURCEMAP_ERROR: ['broken source map', 'broken source maps'],
};

/** The package a bundled file belongs to (`zod`, `@smithy/core`), or undefined for the project's own code. */
export function packageOf(file: string, projectDir: string): string | undefined {
  const shown = `/${stableSourcePath(file, projectDir)}`;
  const inModules = shown.lastIndexOf('/node_modules/');
  if (inModules < 0) return undefined;
  return /^(?:@[^/]+\/)?[^/]+(?=\/)/.exec(shown.slice(inModules + '/node_modules/'.length))?.[0];
}

/**
 * Rollup's warnings as a user reads them. Those from third-party packages (zod's
 * circular imports, a `this` rewritten) are nothing the user can fix: they are
 * counted, and said once a package when the bundle is done. The project's own
 * warnings are said as they come, but for the quiet kinds. `verbose` says every
 * warning as it comes. A warning repeated by another build
 * of the same modules (the bench's one build a function) counts once.
 */
/** Where a build's warnings go. */
export interface WarningSink {
  add(log: RollupLog): void;
}

export class BundleWarnings implements WarningSink {
  private readonly seen = new Set<string>();
  private readonly counts = new Map<string, Map<string, number>>();

  constructor(private readonly options: BundleOptions) {}

  add(log: RollupLog): void {
    const { projectDir, verboseWarnings, onWarning } = this.options;
    const file = log.ids?.[0] ?? log.loc?.file ?? log.id;
    const key = `${log.code}\0${file}\0${log.loc?.line}:${log.loc?.column}\0${log.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    // Rollup's message names the file and position already (`node_modules/zod/x.js (2:11): …`).
    const { message } = log;
    if (verboseWarnings) return onWarning?.(message);
    const pkg = file && !file.startsWith('\0') && path.isAbsolute(file) ? packageOf(file, projectDir) : undefined;
    if (pkg === undefined) {
      if (!QUIET_WARNINGS.has(log.code ?? '')) onWarning?.(message);
      return;
    }
    const counts = this.counts.get(pkg) ?? new Map<string, number>();
    counts.set(log.code ?? 'UNKNOWN', (counts.get(log.code ?? 'UNKNOWN') ?? 0) + 1);
    this.counts.set(pkg, counts);
  }

  /** One line a package, in name order: `zod: 12 circular dependencies, 3 this-rewrites (...)`. */
  flush(): void {
    const kinds = Object.keys(WARNING_KINDS);
    const rank = (code: string) => (kinds.includes(code) ? kinds.indexOf(code) : kinds.length);
    for (const pkg of [...this.counts.keys()].sort()) {
      const counts = [...this.counts.get(pkg)!].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
      const parts = counts.map(([code, n]) => `${n} ${WARNING_KINDS[code]?.[n === 1 ? 0 : 1] ?? `${code} warning${n === 1 ? '' : 's'}`}`);
      this.options.onWarning?.(`${pkg}: ${parts.join(', ')} (--verbose-warnings to see them)`);
    }
    this.counts.clear();
  }
}

/**
 * Changes to rollup's options that only the bench makes, to measure other set-ups (bench/build.ts): shipped
 * commands never pass one.
 */
export interface RollupAdjustments {
  /** Rollup's input options, as sparta would pass them, to change (another transpiler plugin, say). */
  input?: (options: InputOptions) => InputOptions;
  /** Output plugins (sparta's own are none, or terser's with --minify). */
  outputPlugins?: Plugin[];
}

/** `cache`: modules of an earlier build to reuse; `false` keeps no cache at all (rollup's own default keeps one in memory). */
export function rollupInputOptions(options: BundleOptions, input: Record<string, string>, cache: RollupCache | false | undefined, warnings: WarningSink): InputOptions {
  // Loaded here, not at the top: `sparta --help` should not pay for rollup's plugins.
  const { nodeResolve } = require('@rollup/plugin-node-resolve') as typeof import('@rollup/plugin-node-resolve');
  const commonjs = (require('@rollup/plugin-commonjs') as typeof import('@rollup/plugin-commonjs')).default;
  const plugins: Plugin[] = [
    spartaEntries(options.projectDir, options.functions),
    compilerPathResolution(options.projectDir, options.tsconfigPath),
    typescriptTranspile({ tsconfigPath: options.tsconfigPath, sourcemap: options.sourcemap ?? false }),
    runtimeImports({ projectDir: options.projectDir, sourcemap: options.sourcemap ?? false }),
    realPaths(nodeResolve({
      extensions: ['.mjs', '.js', '.cjs', '.json', '.ts', '.tsx', '.mts', '.cts'],
      exportConditions: ['node'],
      preferBuiltins: true,
    })),
    commonjs({ extensions: ['.js', '.cjs'], ignoreDynamicRequires: true }),
    jsonModules(),
    projectCodeAsWritten(options.projectDir),
    refuseNativeAddons(options.projectDir),
  ];
  const bundleAwsSdk = options.bundleAwsSdk ?? true;
  const external = externalPackages(options.functions);
  return {
    input,
    cache,
    plugins,
    external: (id) => isExternal(id, bundleAwsSdk, external),
    // Symlinks are followed by realPaths (resolve.ts), with the system's realpath rather than node-resolve's own.
    preserveSymlinks: true,
    preserveEntrySignatures: 'strict',
    treeshake: { moduleSideEffects: 'no-external' },
    onLog: (level, log, handler) => {
      // Rollup would leave an unresolved import as a require() that fails in Lambda.
      if (log.code === 'UNRESOLVED_IMPORT') return handler('error', log);
      if (level === 'warn') warnings.add(log);
    },
  };
}

/**
 * Leads every chunk of an ES module bundle: bundled CommonJS code can still call `require` (commonjs leaves a
 * require of a computed name as written) and read `__filename` and `__dirname`, which an ES module lacks. The same shim esbuild users put
 * in their banner (evanw/esbuild#1921), by names that cannot clash with the chunk's own: rollup never gives a
 * top-level binding of any format the names `require`, `__filename` or `__dirname` (its RESERVED_USED_NAMES: a
 * module's own `const __dirname` is renamed `__dirname$1`), and the import's local name is sparta's. `import.meta`'s
 * `filename` and `dirname` are in every Node.js that Lambda runs (22, 24) and in Node.js 20 from 20.11.
 */
export const ESM_BANNER = [
  "import { createRequire as __spartaCreateRequire } from 'node:module';",
  'const require = __spartaCreateRequire(import.meta.url);',
  'const __filename = import.meta.filename;',
  'const __dirname = import.meta.dirname;',
].join('\n');

export function rollupOutputOptions(options: BundleOptions, plugins: Plugin[], format: ModuleFormat = 'cjs'): OutputOptions {
  const extension = codeExtension(format);
  return {
    ...(format === 'esm' ? { format: 'es', banner: ESM_BANNER } : { format: 'cjs', exports: 'named' }),
    entryFileNames: `[name]${extension}`,
    // A chunk named after a generated entry would be called `_sparta-entry_<Class>`.
    chunkFileNames: (chunk) => `${CHUNK_DIR}/${chunk.name.startsWith('_sparta-entry') ? 'service' : '[name]'}-[hash]${extension}`,
    // Never written: a fixed folder to read the maps' relative source paths against.
    dir: bundleDir(options.projectDir),
    sourcemap: options.sourcemap ?? false,
    generatedCode: 'es2015',
    plugins,
  };
}

/** Comments a licence asks to keep (`/*!`, `@license`, `@preserve`), as esbuild keeps them. */
const LEGAL_COMMENT = /^!|@license|@preserve|@cc_on/i;

export function outputPlugins(options: Pick<BundleOptions, 'minify'>): Plugin[] {
  if (!options.minify) return [];
  const terser = (require('@rollup/plugin-terser') as typeof import('@rollup/plugin-terser')).default;
  return [terser({ maxWorkers: 1, format: { comments: LEGAL_COMMENT } })];
}

function bundleDir(projectDir: string): string {
  return path.join(projectDir, '.sparta-bundle');
}

/**
 * Where a source file appears in a shipped source map: relative to the project
 * when inside it, else as `node_modules/<package>/<file>`, so that no folder of
 * the building machine ends up in an archive (and archives stay identical).
 */
export function stableSourcePath(file: string, projectDir: string): string {
  const relative = path.relative(projectDir, file);
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  const posix = file.split(path.sep).join('/');
  const inModules = posix.lastIndexOf('/node_modules/');
  if (inModules >= 0) return posix.slice(inModules + 1);
  // A package reached through a symlink (npm link, workspaces): name it by its package.json.
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const name = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name;
    if (name) return `node_modules/${name}/${path.relative(dir, file).split(path.sep).join('/')}`;
  }
  return path.basename(file);
}

// In a module of its own: the commands that only read build outputs name files without loading the bundler.
import { fileSafe } from './names';
export { FILE_NAME_LENGTH, fileSafe } from './names';

export async function bundleFunctions(options: BundleOptions, adjust: RollupAdjustments = {}): Promise<FunctionBundle[]> {
  const warnings = new BundleWarnings(options);
  try {
    const compilerOptions = readTsconfig(options.tsconfigPath).options;
    const bundleAwsSdk = options.bundleAwsSdk ?? true;
    const external = externalPackages(options.functions);
    const groups = bundleGroups(options.functions, { projectDir: options.projectDir, compilerOptions, isExternal: (id) => isExternal(id, bundleAwsSdk, external) });
    // A bench set-up transforms differently from what the cache holds.
    const cached = options.cacheDir !== undefined && !adjust.input;
    const keys = new Set<string>();
    const bundles = new Map<string, FunctionBundle>();
    const files = cached ? projectFiles(options.projectDir, path.resolve(options.outDir ?? path.join(options.projectDir, '.sparta'))) : [];
    for (const group of groups) {
      const key = cached ? bundleCacheKey(options, compilerOptions, group) : undefined;
      if (key !== undefined) keys.add(key);
      for (const bundle of await bundleGroup(options, group, key, files, warnings, adjust)) bundles.set(bundle.functionId, bundle);
    }
    if (cached) pruneCache(options.cacheDir!, keys);
    return options.functions.map((fn) => bundles.get(fn.id)!);
  } catch (error) {
    throw toSpartaError(error, options.projectDir);
  } finally {
    warnings.flush();
  }
}

/**
 * One group's archives (groups.ts): those its last build wrote when every module it read is as it was, else one
 * rollup build with each of its functions as an input, so that modules two functions share are resolved,
 * transformed and parsed once.
 */
async function bundleGroup(options: BundleOptions, group: BundleGroup, key: string | undefined, files: readonly string[], warnings: WarningSink, adjust: RollupAdjustments): Promise<FunctionBundle[]> {
  const entries = entriesDigest(options, group);
  const fileNames = textDigest(files.join('\n'));
  const stored = key === undefined ? undefined : readOutputs(options.cacheDir!, key);
  if (stored && stored.entries === entries && stored.files === fileNames && modulesUnchanged(stored)) {
    for (const log of stored.logs) warnings.add(log as RollupLog);
    return stored.bundles.map((bundle) => ({ functionId: bundle.functionId, files: bundle.files.map((file) => ({ path: file.path, contents: Buffer.from(file.contents) })) }));
  }
  const { rollup } = require('rollup') as typeof import('rollup');
  const input: Record<string, string> = {};
  for (const fn of group.functions) input[fileSafe(fn.id)] = entryId(fn);
  const read = key === undefined ? undefined : readCache(options.cacheDir!, key);
  const cache = read && stored?.files !== fileNames ? withoutProjectModules(read, options.projectDir) : read;
  const logs: StoredOutputs['logs'] = [];
  const recorded: WarningSink = {
    add(log) {
      logs.push({ code: log.code, message: log.message, id: log.id, ids: log.ids, loc: log.loc && { file: log.loc.file, line: log.loc.line, column: log.loc.column } });
      warnings.add(log);
    },
  };
  const inputOptions = rollupInputOptions(options, input, cache ?? (key === undefined ? false : undefined), recorded);
  const fresh = freshModules();
  const graph = moduleGraph();
  const adjusted = adjust.input ? adjust.input(inputOptions) : inputOptions;
  const build = await rollup({ ...adjusted, plugins: [...(adjusted.plugins as Plugin[]), fresh.plugin, graph.plugin] });
  try {
    const extension = codeExtension(group.format);
    const { output } = await build.generate(rollupOutputOptions(options, adjust.outputPlugins ?? outputPlugins(options), group.format)).catch((error: unknown) => {
      throw isTopLevelAwaitError(error) ? topLevelAwaitError(error, group.functions, graph, (file) => stableSourcePath(file, options.projectDir)) : error;
    });
    const chunks = new Map(output.filter((o): o is OutputChunk => o.type === 'chunk').map((c) => [c.fileName, c]));
    const bundles = group.functions.map((fn) => {
      const entry = chunks.get(`${fileSafe(fn.id)}${extension}`);
      if (!entry) throw new Error(`rollup produced no entry chunk for ${fn.id}`);
      return { functionId: fn.id, files: archiveFiles(entry, chunks, options.projectDir, group.format === 'esm' ? ESM_ENTRY_FILE : ENTRY_FILE) };
    });
    if (key !== undefined && build.cache) {
      // Every module came from the cache: the stored one is this build's already, and writing it is a second's work.
      if (read === undefined || fresh.count() > 0) writeCache(options.cacheDir!, key, build.cache);
      const modules = (build.cache.modules ?? [])
        .filter((m) => path.isAbsolute(m.id) && fs.existsSync(m.id))
        .map((m): [string, string] => [m.id, textDigest(m.originalCode)]);
      writeOutputs(options.cacheDir!, key, { modules, entries, files: fileNames, bundles, logs });
    }
    return bundles;
  } finally {
    await build.close();
  }
}

/** What a group's output depends on besides its modules' text and the cache key: its entries and the output options. */
function entriesDigest(options: BundleOptions, group: BundleGroup): string {
  const entries = group.functions.map((fn) => [fn.id, entrySource(fn, path.resolve(options.projectDir, fn.source.file))]);
  return textDigest(JSON.stringify({ entries, format: group.format, minify: options.minify ?? false, sourcemap: options.sourcemap ?? false }));
}

/**
 * Rollup's cache for a build whose project files are no longer those of the cached one: without the project's
 * own modules. Rollup keeps a cached module's resolved imports, and a file added beside an import (`./util` to a
 * new `util.mjs`) changes where it resolves while no module's text changes; installed packages' resolutions are
 * the lockfile's, in the key.
 */
function withoutProjectModules(cache: RollupCache, projectDir: string): RollupCache {
  const root = path.resolve(projectDir) + path.sep;
  const inProject = (id: string) => id.startsWith('\0') || (id.startsWith(root) && !id.includes(`${path.sep}node_modules${path.sep}`));
  return { ...cache, modules: (cache.modules ?? []).filter((m) => !inProject(m.id)) };
}

/** Counts the modules rollup transforms, which it does only for those its cache has not (or not as they are now). */
function freshModules(): { plugin: Plugin; count: () => number } {
  let count = 0;
  return {
    plugin: { name: 'sparta-fresh-modules', transform: () => { count += 1; return null; } },
    count: () => count,
  };
}

/** A group's cache key: what the transforms and resolutions depend on besides the modules' own text (cache.ts). */
function bundleCacheKey(options: BundleOptions, compilerOptions: unknown, group: BundleGroup): string {
  return cacheKey({
    projectDir: options.projectDir,
    compilerOptions,
    bundle: { sourcemap: options.sourcemap ?? false, bundleAwsSdk: options.bundleAwsSdk ?? true, external: [...externalPackages(options.functions)].sort(), group: group.packages, ...(group.format === 'esm' && { format: group.format }) },
  });
}

/**
 * The files one function needs: its entry chunk renamed to `entryFile` (index.js, or index.mjs for ES modules), and
 * every chunk it reaches through static or dynamic imports, with their source maps.
 * Entry chunks sit at the output root, so the entry's relative imports
 * (`./chunks/...`) still hold after the rename.
 */
export function archiveFiles(entry: OutputChunk, chunks: Map<string, OutputChunk>, projectDir: string, entryFile = ENTRY_FILE): BundleFile[] {
  const files: BundleFile[] = [];
  const seen = new Set<string>();
  const visit = (chunk: OutputChunk, asName: string) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    let code = chunk.code;
    if (chunk.map) {
      const mapName = `${asName}.map`;
      code = code.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${path.posix.basename(mapName)}\n`);
      const up = '../'.repeat(asName.split('/').length - 1);
      const sources = chunk.map.sources.map((source) =>
        up + stableSourcePath(path.resolve(bundleDir(projectDir), path.dirname(chunk.fileName), source), projectDir));
      const map = { ...chunk.map, file: path.posix.basename(asName), sources };
      files.push({ path: mapName, contents: Buffer.from(JSON.stringify(map)) });
    }
    files.push({ path: asName, contents: Buffer.from(code) });
    for (const dependency of [...chunk.imports, ...chunk.dynamicImports]) {
      const next = chunks.get(dependency);
      if (!next) continue; // external
      if (next.isEntry) throw new Error(`chunk ${chunk.fileName} imports entry chunk ${dependency}`);
      visit(next, dependency);
    }
  };
  visit(entry, entryFile);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function toSpartaError(error: unknown, projectDir: string): unknown {
  if (SpartaError.is(error)) return error;
  // A plugin's own error (native.ts), wrapped so that rollup's rewriting of what a hook throws leaves it whole.
  if (SpartaError.is((error as { cause?: unknown } | undefined)?.cause)) return (error as { cause: unknown }).cause;
  const log = error as RollupLog & { message?: string };
  if (typeof log?.message !== 'string') return error;
  const show = (file: string) => (path.isAbsolute(file) ? stableSourcePath(file, projectDir) : file);
  // Errors in a generated entry are about the manifest's view of the class: say so in its terms.
  const fromEntry = log.id?.startsWith(ENTRY_PREFIX) ? log.id.slice(ENTRY_PREFIX.length) : undefined;
  if (log.code === 'MISSING_EXPORT') {
    const where = log.exporter ? show(log.exporter) : 'its module';
    return bundleFailed(
      fromEntry ? `${fromEntry}: ${where} has no export named "${log.binding}"` : log.message,
      'check that the class is exported under the name the manifest records (run `sparta explain`)',
    );
  }
  if (log.code === 'UNRESOLVED_IMPORT') {
    const missing = log.exporter ? show(log.exporter) : 'a module';
    return bundleFailed(
      fromEntry ? `${fromEntry}: cannot find its class's module ${missing}` : `${log.id ? show(log.id) : 'a module'} imports ${missing}, which cannot be found`,
      'install the package (npm install) or fix the import path',
    );
  }
  const where = log.loc?.file ?? log.id;
  const location = where && !where.startsWith('\0') ? `${show(where)}${log.loc ? `:${log.loc.line}:${log.loc.column + 1}` : ''}: ` : '';
  // Rollup prefixes a plugin's message with `[plugin name] <path> (line:column): `; the location above says it better.
  const message = log.plugin ? log.message.replace(/^\[plugin [^\]]+\] (?:.*? \(\d+:\d+\): )?/, '') : log.message;
  return bundleFailed(`${location}${message}`, 'fix the module named above, then build again');
}
