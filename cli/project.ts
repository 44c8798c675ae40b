import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest, ServiceManifest } from '../manifest/types';
import { analyzeProject } from '../transformer/analyze';
import { formatDiagnostic } from '../transformer/diagnostics';
import { manifestInvalid, noService, projectNotFound, serviceNotFound, serviceRequired, tsconfigInvalid } from './errors';

export interface LoadedProject {
  manifest: Manifest;
  /** Absolute folder of the tsconfig: the root that manifest paths are relative to. */
  projectDir: string;
  /** Absolute path of the tsconfig. */
  tsconfigPath: string;
}

/** Runs the compile-time analysis on the user's tsconfig: no prior build needed. */
export function loadProjectManifest(tsconfigPath: string): LoadedProject {
  const resolved = path.resolve(tsconfigPath);
  if (!fs.existsSync(resolved)) {
    throw projectNotFound(resolved);
  }
  const analysis = analyzeProject(resolved);
  if (analysis.configErrors.length > 0) {
    throw tsconfigInvalid(resolved, analysis.configErrors);
  }
  if (!analysis.manifest) {
    throw manifestInvalid(analysis.diagnostics.map(formatDiagnostic));
  }
  return { manifest: analysis.manifest, projectDir: analysis.projectDir, tsconfigPath: resolved };
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
