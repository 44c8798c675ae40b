import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest, ServiceManifest } from '../manifest/types';
import { ErrorCode, spartaError } from './errors';

// TEMPORARY (runtime branch): the lead replaces this file with the real one,
// which runs the transformer. Same signatures; this one reads a
// `sparta.manifest.json` written beside the tsconfig.

export interface LoadedProject {
  manifest: Manifest;
  projectDir: string;
  tsconfigPath: string;
}

export function loadProjectManifest(tsconfigPath: string): LoadedProject {
  const resolved = path.resolve(tsconfigPath);
  if (!fs.existsSync(resolved)) {
    throw spartaError(ErrorCode.PROJECT_NOT_FOUND, `No tsconfig at ${resolved}`, 'Pass --project path/to/tsconfig.json');
  }
  const projectDir = path.dirname(resolved);
  const manifestPath = path.join(projectDir, 'sparta.manifest.json');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Manifest;
  } catch (error) {
    throw spartaError(ErrorCode.MANIFEST_INVALID, `Cannot read ${manifestPath}: ${(error as Error).message}`);
  }
  return { manifest, projectDir, tsconfigPath: resolved };
}

export function selectService(manifest: Manifest, name?: string): ServiceManifest {
  if (name !== undefined) {
    const service = manifest.services.find((candidate) => candidate.name === name);
    if (!service) {
      const known = manifest.services.map((candidate) => candidate.name).join(', ') || '(none)';
      throw spartaError(ErrorCode.SERVICE_NOT_FOUND, `No service named ${name}`, `Services in this project: ${known}`);
    }
    return service;
  }
  if (manifest.services.length === 1) return manifest.services[0];
  if (manifest.services.length === 0) {
    throw spartaError(ErrorCode.SERVICE_NOT_FOUND, 'The project declares no @Service', 'Decorate a class with @Service({ name })');
  }
  throw spartaError(
    ErrorCode.SERVICE_REQUIRED,
    'The project declares several services',
    `Pick one with --service: ${manifest.services.map((service) => service.name).join(', ')}`,
  );
}
