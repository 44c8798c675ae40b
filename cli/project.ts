import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest, ServiceManifest } from '../manifest/types';
import { analyzeProject } from '../transformer/analyze';
import { formatDiagnostic, type SpartaDiagnostic } from '../transformer/diagnostics';
import { ErrorCode, SpartaError } from './errors';

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

/** Runs the compile-time analysis on the user's tsconfig: no prior build needed. */
export function loadProjectManifest(tsconfigPath: string, { onWarning = toStderr }: LoadOptions = {}): LoadedProject {
  const resolved = path.resolve(tsconfigPath);
  if (!fs.existsSync(resolved)) {
    throw new SpartaError(ErrorCode.PROJECT_NOT_FOUND, `no tsconfig at ${resolved}`, 'pass --project path/to/tsconfig.json');
  }
  const analysis = analyzeProject(resolved);
  if (analysis.configErrors.length > 0) {
    throw new SpartaError(ErrorCode.PROJECT_NOT_FOUND, `${resolved} cannot be read:\n${analysis.configErrors.join('\n')}`, 'fix the tsconfig.json');
  }
  if (!analysis.manifest) {
    const count = analysis.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    const lines = analysis.diagnostics.map(formatDiagnostic).join('\n');
    throw new SpartaError(ErrorCode.MANIFEST_INVALID, `${count} error${count === 1 ? '' : 's'} in the decorators:\n${lines}`);
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
    throw new SpartaError(ErrorCode.SERVICE_NOT_FOUND, `no service named ${name}`, names.length > 0 ? `services in this project: ${names.join(', ')}` : 'declare one with @Service({ name })');
  }
  if (manifest.services.length === 1) return manifest.services[0];
  if (manifest.services.length === 0) {
    throw new SpartaError(ErrorCode.SERVICE_NOT_FOUND, 'the project declares no @Service class', "add @Service({ name: 'my-service' }) to a class with @Lambda methods");
  }
  throw new SpartaError(ErrorCode.SERVICE_REQUIRED, `the project declares ${names.length} services`, `pick one with --service (${names.join(', ')})`);
}

/** Build output: `--out` as given (relative to the current folder), else `.sparta` beside the tsconfig. */
export function resolveOutDir(projectDir: string, out: string | undefined): string {
  return out ? path.resolve(out) : path.join(projectDir, '.sparta');
}
