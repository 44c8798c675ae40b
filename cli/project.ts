import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest, ServiceManifest } from '../manifest/types';
import { fileSafe } from './bundle/names';
import { projectInputsKey } from './inputs';
import type { SpartaDiagnostic } from '../transformer/diagnostics';
import { manifestInvalid, noService, projectNotFound, serviceNotFound, serviceRequired, tsconfigInvalid } from './errors';

export interface LoadedProject {
  manifest: Manifest;
  /** Absolute folder of the tsconfig: the root that manifest paths are relative to. */
  projectDir: string;
  /** Absolute path of the tsconfig. */
  tsconfigPath: string;
  /** Warnings of the analysis (already passed to `onWarning`). */
  warnings: SpartaDiagnostic[];
}

export interface LoadOptions {
  /** Receives each warning as the user reads it; default: stderr (stdout carries only a command's result). */
  onWarning?: (text: string) => void;
}

export interface CachedLoadOptions extends LoadOptions {
  /** Called when the cache misses, before the analysis runs: whatever a build does beside the analysis can start. */
  beforeAnalysis?: (tsconfigPath: string, outDir: string) => void;
}

const toStderr = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/**
 * The tsconfig a command works on, found as `tsc` finds it: `--project` (or
 * SPARTA_PROJECT) names a tsconfig file or a folder holding `tsconfig.json`;
 * without one, the nearest `tsconfig.json` in `cwd` or a folder above it.
 */
export function resolveTsconfigPath(project: string | undefined, cwd: string = process.cwd()): string {
  if (project === undefined || project === '') {
    const found = nearestTsconfig(path.resolve(cwd));
    if (!found) throw projectNotFound(path.resolve(cwd), true);
    return found;
  }
  const given = path.resolve(cwd, project);
  const file = isDirectory(given) ? path.join(given, 'tsconfig.json') : given;
  if (!fs.existsSync(file)) throw projectNotFound(file);
  return file;
}

/** ts.findConfigFile's search, without loading the compiler (a command whose inputs are unchanged never needs it). */
function nearestTsconfig(dir: string): string | undefined {
  for (let folder = dir; ; folder = path.dirname(folder)) {
    const file = path.join(folder, 'tsconfig.json');
    if (fs.existsSync(file)) return file;
    if (path.dirname(folder) === folder) return undefined;
  }
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Runs the compile-time analysis on your tsconfig (a file or a folder holding one): no prior build needed. */
export function loadProjectManifest(tsconfigPath: string, { onWarning = toStderr }: LoadOptions = {}): LoadedProject {
  const resolved = resolveTsconfigPath(tsconfigPath);
  // The compiler loads in a second; required here so that a cached analysis never pays for it.
  const { analyzeProject } = require('../transformer/analyze') as typeof import('../transformer/analyze');
  const { formatDiagnostic } = require('../transformer/diagnostics') as typeof import('../transformer/diagnostics');
  const analysis = analyzeProject(resolved);
  if (analysis.configErrors.length > 0) {
    throw tsconfigInvalid(resolved, analysis.configErrors);
  }
  if (!analysis.manifest) {
    const errors = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    throw manifestInvalid(errors, analysis.diagnostics.map(formatDiagnostic));
  }
  const warnings = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning');
  for (const warning of warnings) onWarning(formatDiagnostic(warning));
  return { manifest: analysis.manifest, projectDir: analysis.projectDir, tsconfigPath: resolved, warnings };
}

/** Where the analysis of the last build is kept, under the output folder. */
export const ANALYSIS_CACHE_FILE = 'analysis.json';
const ANALYSIS_CACHE_VERSION = 1;

export interface CachedProject extends LoadedProject {
  /** The hash of the analysis' inputs (projectInputsKey): what a service's build key starts from. */
  inputsKey: string;
  /** The manifest came from `<out>/analysis.json`: nothing was analysed. */
  cached: boolean;
}

/**
 * loadProjectManifest, reused from `<outDir>/analysis.json` when its inputs
 * (every project file, the lockfile, the tsconfig chain, sparta's and node's
 * versions) hash the same: the analysis is the slowest step of a build that
 * then has nothing to do. Its warnings are printed again, as a fresh analysis
 * would. A cache that cannot be read or names other inputs is analysed anew.
 */
export function loadProjectCached(tsconfigPath: string, outDir: string | undefined, { onWarning = toStderr, beforeAnalysis }: CachedLoadOptions = {}): CachedProject {
  const resolved = resolveTsconfigPath(tsconfigPath);
  const projectDir = path.dirname(resolved);
  const out = resolveOutDir(projectDir, outDir);
  const inputsKey = projectInputsKey(projectDir, resolved, out);
  const file = path.join(out, ANALYSIS_CACHE_FILE);
  const cached = readAnalysisCache(file, inputsKey);
  if (cached) {
    for (const warning of cached.warnings) onWarning(warning);
    return { manifest: cached.manifest, projectDir, tsconfigPath: resolved, warnings: [], inputsKey, cached: true };
  }
  beforeAnalysis?.(resolved, out);
  const loaded = loadProjectManifest(resolved, { onWarning });
  const { formatDiagnostic } = require('../transformer/diagnostics') as typeof import('../transformer/diagnostics');
  const record: AnalysisCache = { version: ANALYSIS_CACHE_VERSION, inputsKey, manifest: loaded.manifest, warnings: loaded.warnings.map(formatDiagnostic) };
  fs.mkdirSync(out, { recursive: true });
  const staging = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(staging, JSON.stringify(record));
  fs.renameSync(staging, file);
  return { ...loaded, inputsKey, cached: false };
}

interface AnalysisCache {
  version: number;
  inputsKey: string;
  manifest: Manifest;
  warnings: string[];
}

function readAnalysisCache(file: string, inputsKey: string): AnalysisCache | undefined {
  try {
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as AnalysisCache;
    const valid = record.version === ANALYSIS_CACHE_VERSION && record.inputsKey === inputsKey && Array.isArray(record.manifest?.services) && Array.isArray(record.warnings);
    return valid ? record : undefined;
  } catch {
    return undefined;
  }
}

/** The service a command works on: the named one, or the only one. */
export function selectService(manifest: Manifest, name?: string): ServiceManifest {
  const names = manifest.services.map((service) => service.name);
  if (name !== undefined) {
    const service = manifest.services.find((candidate) => candidate.name === name);
    if (service) return service;
    throw serviceNotFound(name, names);
  }
  if (manifest.services.length === 1) return manifest.services[0];
  if (manifest.services.length === 0) throw noService();
  throw serviceRequired(names);
}

/** A service's own outputs (build.json, template.json, nested/, archives): `<out>/<service>`, the service named as applyStage names it. */
export function serviceOutDir(outDir: string, serviceName: string): string {
  return path.join(outDir, fileSafe(serviceName));
}

/** Build output: `--out` as given (relative to the current folder), else `.sparta` beside the tsconfig. */
export function resolveOutDir(projectDir: string, out: string | undefined): string {
  return out ? path.resolve(out) : path.join(projectDir, '.sparta');
}
