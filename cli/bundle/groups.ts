import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { moduleFormat } from '../../manifest/defaults';
import type { FunctionManifest, ModuleFormat } from '../../manifest/types';
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
// archives. Functions of the two module formats never share a group: rollup
// renders every module of a build into each output, so a CommonJS output of a
// build that holds an ES function's top-level await would fail (SPARTA207)
// for a module no CommonJS function imports.

export interface BundleGroup {
  /** The packages its functions import (the same for each), sorted: what tells the group apart. */
  packages: string[];
  /** A short digest of `packages` (and of the format when it is `esm`), for file names. */
  id: string;
  /** The module format of every function of the group. */
  format: ModuleFormat;
  functions: FunctionManifest[];
}

export interface GroupingOptions extends ImportOptions {
  /** A bare import the bundle leaves out (node's modules, `external`, the runtime's SDK): no package of the group. */
  isExternal: (specifier: string) => boolean;
}

/**
 * The functions in groups, by their format and the packages each reaches through the project's own modules; groups
 * in package order, CommonJS first.
 */
export function bundleGroups(functions: readonly FunctionManifest[], options: GroupingOptions): BundleGroup[] {
  const scanner = new ProjectImports(options);
  // A CommonJS group's key is its packages alone, as before formats: its id (and cache files) stay what they were.
  const groups = new Map<string, { format: ModuleFormat; packages: string; functions: FunctionManifest[] }>();
  for (const fn of functions) {
    const format = moduleFormat(fn.options);
    const packages = [...scanner.packagesFrom(path.resolve(options.projectDir, fn.source.file))].sort().join('\n');
    const key = format === 'cjs' ? packages : `esm\0${packages}`;
    const group = groups.get(key) ?? { format, packages, functions: [] };
    group.functions.push(fn);
    groups.set(key, group);
  }
  const order = (a: { format: ModuleFormat; packages: string }, b: { format: ModuleFormat; packages: string }) =>
    a.format === b.format ? (a.packages < b.packages ? -1 : a.packages > b.packages ? 1 : 0) : a.format === 'cjs' ? -1 : 1;
  return [...groups.entries()].sort(([, a], [, b]) => order(a, b)).map(([key, group]) => ({
    packages: group.packages === '' ? [] : group.packages.split('\n'),
    id: createHash('sha256').update(key).digest('hex').slice(0, 12),
    format: group.format,
    functions: group.functions,
  }));
}
