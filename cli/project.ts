import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { Manifest, ServiceManifest } from '../manifest/types';
import { analyzeProject } from '../transformer/analyze';
import { formatDiagnostic, type SpartaDiagnostic } from '../transformer/diagnostics';
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
    const found = ts.findConfigFile(cwd, ts.sys.fileExists);
    if (!found) throw projectNotFound(path.resolve(cwd), true);
    return path.resolve(found);
  }
  const given = path.resolve(cwd, project);
  const file = isDirectory(given) ? path.join(given, 'tsconfig.json') : given;
  if (!fs.existsSync(file)) throw projectNotFound(file);
  return file;
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

/** Build output: `--out` as given (relative to the current folder), else `.sparta` beside the tsconfig. */
export function resolveOutDir(projectDir: string, out: string | undefined): string {
  return out ? path.resolve(out) : path.join(projectDir, '.sparta');
}
