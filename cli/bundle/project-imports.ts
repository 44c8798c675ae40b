import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as ts from 'typescript';
import { RUNTIME_PACKAGE } from './entry';

// The project's import graph as the compiler resolves it (relative imports,
// `paths` aliases), read with TypeScript's import scanner and never parsed:
// what the bundle groups (groups.ts) and the type-check after a change
// (typecheck-affected.ts) both follow.

export interface ImportOptions {
  projectDir: string;
  compilerOptions: ts.CompilerOptions;
  /** A bare import that is no package of the project's (node's modules, `external`, the runtime's SDK). */
  isExternal?: (specifier: string) => boolean;
}

export class ProjectImports {
  private readonly ts = require('typescript') as typeof import('typescript');
  private readonly root: string;
  private readonly resolutionCache: ts.ModuleResolutionCache;
  /** Each project module's imports, read once: the project modules it reaches and the packages it names. */
  private readonly imports = new Map<string, { modules: string[]; packages: string[] }>();

  constructor(private readonly options: ImportOptions) {
    this.root = path.join(path.resolve(options.projectDir), path.sep);
    this.resolutionCache = this.ts.createModuleResolutionCache(options.projectDir, (name) => name, options.compilerOptions);
  }

  /** The packages `file` names itself or through the project modules it reaches. */
  packagesFrom(file: string): Set<string> {
    const packages = new Set<string>();
    const seen = new Set<string>();
    const visit = (module: string) => {
      if (seen.has(module)) return;
      seen.add(module);
      const found = this.importsOf(module);
      for (const name of found.packages) packages.add(name);
      for (const next of found.modules) visit(next);
    };
    visit(file);
    return packages;
  }

  /** The project's own modules `file` imports (types included), as the compiler resolves them. */
  modulesOf(file: string): readonly string[] {
    return this.importsOf(file).modules;
  }

  private importsOf(file: string): { modules: string[]; packages: string[] } {
    const known = this.imports.get(file);
    if (known) return known;
    const found = { modules: [] as string[], packages: [] as string[] };
    this.imports.set(file, found);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return found; // the bundle says what is missing, in its words
    }
    for (const { fileName: specifier } of this.ts.preProcessFile(text, true, true).importedFiles) {
      if (specifier === RUNTIME_PACKAGE || specifier.startsWith(`${RUNTIME_PACKAGE}/`) || this.options.isExternal?.(specifier)) continue;
      const resolved = this.ts.resolveModuleName(specifier, file, this.options.compilerOptions, this.ts.sys, this.resolutionCache).resolvedModule;
      const target = resolved?.resolvedFileName;
      // A relative import or a `paths` alias into the project: its imports are the function's too.
      if (target !== undefined && !resolved!.isExternalLibraryImport && target.startsWith(this.root) && !target.includes(`${path.sep}node_modules${path.sep}`)) {
        found.modules.push(target);
        continue;
      }
      if (specifier.startsWith('.') || path.isAbsolute(specifier)) continue;
      const name = packageName(specifier);
      if (name !== undefined) found.packages.push(name);
    }
    return found;
  }
}

/** The package an import names: `@aws-sdk/client-s3` of `@aws-sdk/client-s3/dist-cjs/x`, `zod` of `zod`. */
export function packageName(specifier: string): string | undefined {
  return /^(?:@[^/]+\/)?[^/]+/.exec(specifier)?.[0];
}
