import * as fs from 'node:fs';
import * as path from 'node:path';
import { MANIFEST_VERSION, type Manifest, type ServiceManifest } from '../manifest/types';
import { ErrorCode, SpartaError } from './errors';

// TEMPORARY (build branch): the lead's version runs the analyzer
// (`analyzeProject` from transformer/analyze.ts). This one reads a
// `sparta.manifest.json` written beside the tsconfig, so `sparta build` can be
// exercised before the transformer lands. Same exports, same errors.

export const MANIFEST_FILE = 'sparta.manifest.json';

export function loadProjectManifest(tsconfigPath: string): { manifest: Manifest; projectDir: string; tsconfigPath: string } {
  const absolute = path.resolve(tsconfigPath);
  if (!fs.existsSync(absolute)) {
    throw new SpartaError(ErrorCode.PROJECT_NOT_FOUND, `no tsconfig at ${absolute}`, "pass the project's tsconfig.json with --project");
  }
  const projectDir = path.dirname(absolute);
  const manifestFile = path.join(projectDir, MANIFEST_FILE);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (error) {
    throw new SpartaError(ErrorCode.MANIFEST_INVALID, `cannot read ${manifestFile}: ${(error as Error).message}`, 'run `sparta explain` to write it');
  }
  if (manifest.manifestVersion !== MANIFEST_VERSION || !Array.isArray(manifest.services)) {
    throw new SpartaError(ErrorCode.MANIFEST_INVALID, `${manifestFile} is not a version ${MANIFEST_VERSION} manifest`, 'run `sparta explain` to write it again');
  }
  return { manifest, projectDir, tsconfigPath: absolute };
}

/** The service named `name`, or the only one when no name is given. */
export function selectService(manifest: Manifest, name?: string): ServiceManifest {
  const names = manifest.services.map((s) => s.name);
  if (name !== undefined) {
    const service = manifest.services.find((s) => s.name === name);
    if (!service) {
      throw new SpartaError(ErrorCode.SERVICE_NOT_FOUND, `no service named ${name}`, names.length ? `the project declares: ${names.join(', ')}` : 'decorate a class with @Service');
    }
    return service;
  }
  if (manifest.services.length === 1) return manifest.services[0]!;
  if (manifest.services.length === 0) {
    throw new SpartaError(ErrorCode.SERVICE_NOT_FOUND, 'the project declares no service', 'decorate a class with @Service({ name })');
  }
  throw new SpartaError(ErrorCode.SERVICE_REQUIRED, `the project declares ${names.length} services`, `choose one with --service (${names.join(', ')})`);
}
