import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { FunctionManifest } from '../../manifest/types';
import { ProjectImports, type ImportOptions } from './project-imports';

// Functions are bundled in groups, one rollup build a group, and a group's
// archives depend on its own functions alone: a change to one function
// rebuilds its group, and every other group's archives come from the cache
// (cache.ts). Rollup tree-shakes and renders a build's whole graph again on
// each build however little changed, and the AWS SDK alone is some 800
// modules, so the groups are the functions that import the same packages:
// those that import none rebuild without the SDK's graph. The grouping reads
// the sources only (TypeScript's import scanner), never an earlier build, so
// a cold and a warm build of the same sources group alike and write the same
// archives.

export interface BundleGroup {
  /** The packages its functions import (the same for each), sorted: what tells the group apart. */
  packages: string[];
  /** A short digest of `packages`, for file names. */
  id: string;
  functions: FunctionManifest[];
}

export interface GroupingOptions extends ImportOptions {
  /** A bare import the bundle leaves out (node's modules, `external`, the runtime's SDK): no package of the group. */
  isExternal: (specifier: string) => boolean;
}

/** The functions in groups, by the packages each reaches through the project's own modules; groups in package order. */
export function bundleGroups(functions: readonly FunctionManifest[], options: GroupingOptions): BundleGroup[] {
  const scanner = new ProjectImports(options);
  const groups = new Map<string, FunctionManifest[]>();
  for (const fn of functions) {
    const key = [...scanner.packagesFrom(path.resolve(options.projectDir, fn.source.file))].sort().join('\n');
    groups.set(key, [...(groups.get(key) ?? []), fn]);
  }
  return [...groups.keys()].sort().map((key) => ({
    packages: key === '' ? [] : key.split('\n'),
    id: createHash('sha256').update(key).digest('hex').slice(0, 12),
    functions: groups.get(key)!,
  }));
}
