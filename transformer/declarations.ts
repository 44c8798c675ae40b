import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

// Which installed packages' declarations the analysis reads. It follows
// imports to find sparta's decorators (and decorators made from them) and
// reads constants; checkEventTypes names @types/aws-lambda's declarations.
// Nothing else a package declares can change the manifest: one
// `import { S3Client }` otherwise pulls in 600 of the SDK's `.d.ts` files (of
// 660 in the program). So an import that resolves to a declaration file under
// node_modules is left unresolved unless its package is sparta,
// @types/aws-lambda, or depends on sparta (it may wrap sparta's decorators).
// Sources under node_modules (a workspace package's `.ts`) are always read:
// their constants have values.

const ALWAYS_READ = new Set(['sparta', '@types/aws-lambda']);

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

const DECLARATION = /\.d\.[cm]?ts$/;

/** The package folder holding `file` (under its last node_modules), with the package's name. */
function packageOf(file: string): { name: string; dir: string } | undefined {
  const at = file.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const rest = file.slice(at + NODE_MODULES.length).split(path.sep);
  const name = rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  if (!name) return undefined;
  return { name, dir: file.slice(0, at + NODE_MODULES.length) + name.split('/').join(path.sep) };
}

function dependsOnSparta(packageDir: string): boolean {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
    return ['dependencies', 'peerDependencies', 'optionalDependencies'].some((field) => manifest?.[field] && typeof manifest[field] === 'object' && 'sparta' in manifest[field]);
  } catch {
    return false;
  }
}

/**
 * A compiler host for the analysis: the default one, whose module resolution
 * drops installed declarations the analysis does not need (see above).
 */
export function analysisHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const cache = ts.createModuleResolutionCache(host.getCurrentDirectory(), (file) => host.getCanonicalFileName(file), options);
  const needed = new Map<string, boolean>();
  const isNeeded = (resolved: ts.ResolvedModuleFull): boolean => {
    if (!DECLARATION.test(resolved.resolvedFileName)) return true;
    const owner = packageOf(resolved.resolvedFileName);
    if (!owner) return true;
    let keep = needed.get(owner.dir);
    if (keep === undefined) {
      keep = ALWAYS_READ.has(owner.name) || dependsOnSparta(owner.dir);
      needed.set(owner.dir, keep);
    }
    return keep;
  };
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      const result = ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirectedReference, mode);
      return result.resolvedModule && !isNeeded(result.resolvedModule) ? { resolvedModule: undefined } : result;
    });
  return host;
}
