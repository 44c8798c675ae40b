import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin, PluginContext } from 'rollup';
import { RUNTIME_PACKAGE } from './entry';

// `import { Lambda } from 'sparta'` names the runtime's barrel, and rollup loads
// every module a barrel re-exports before it tree-shakes any of them: the
// WebSocket helper's API Gateway client alone is 625 of the 641 modules a
// function that never sends a message would load (measured on bench's
// service). Named imports of the barrel are pointed at the modules that define
// them, so a build loads only what its functions import; what the bundle
// keeps is the same, as tree-shaking dropped the rest anyway.

/** Where each name the barrel re-exports is defined: the module's absolute path and its name there. */
type BarrelExports = Map<string, { file: string; name: string }>;

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

interface Specifier {
  type: string;
  imported?: { name?: string; value?: string };
  local: { name: string };
  exported?: { name?: string; value?: string };
}

export function runtimeImports(options: { projectDir: string; sourcemap: boolean }): Plugin {
  let barrel: BarrelExports | undefined | null = null;
  const quoted = [`'${RUNTIME_PACKAGE}'`, `"${RUNTIME_PACKAGE}"`];
  return {
    name: 'sparta-runtime-imports',
    transform(code, id) {
      if (!quoted.some((text) => code.includes(text))) return null;
      const program = this.parse(code) as unknown as { body: Node[] };
      const imports = program.body.filter((node) => node.type === 'ImportDeclaration' && (node.source as { value: unknown }).value === RUNTIME_PACKAGE);
      if (imports.length === 0) return null;
      // Found as node finds it, not through rollup's resolution: that would make the CommonJS plugin load the
      // barrel and everything it re-exports, to learn their module kind.
      if (barrel === null) barrel = barrelExports(this, options.projectDir);
      if (barrel === undefined) return null;
      const MagicString = (require('magic-string') as typeof import('magic-string')).default;
      const edited = new MagicString(code);
      let changed = false;
      for (const node of imports) {
        const replacement = directImports(node.specifiers as Specifier[], barrel);
        if (replacement === undefined) continue;
        edited.overwrite(node.start, node.end, replacement);
        changed = true;
      }
      if (!changed) return null;
      return { code: edited.toString(), map: options.sourcemap ? edited.generateMap({ hires: true, source: id }) : null };
    },
  };
}

/** The import declarations that stand for one of the barrel's, or undefined when it must stay as written. */
function directImports(specifiers: readonly Specifier[], barrel: BarrelExports): string | undefined {
  // A namespace or default import takes the barrel whole; a bare `import 'sparta'` has nothing to point.
  if (specifiers.length === 0 || specifiers.some((s) => s.type !== 'ImportSpecifier')) return undefined;
  const byFile = new Map<string, string[]>();
  for (const specifier of specifiers) {
    const imported = specifier.imported?.name ?? specifier.imported?.value;
    const target = imported === undefined ? undefined : barrel.get(imported);
    if (!target) return undefined;
    const clause = target.name === specifier.local.name ? target.name : `${target.name} as ${specifier.local.name}`;
    byFile.set(target.file, [...(byFile.get(target.file) ?? []), clause]);
  }
  return [...byFile].map(([file, clauses]) => `import { ${clauses.join(', ')} } from ${JSON.stringify(file)};`).join(' ');
}

/**
 * The `export { a, b as c } from './x'` lines of the runtime's ES module barrel, as the project's installed
 * sparta has it; undefined if there is none or it holds anything else.
 */
function barrelExports(context: PluginContext, projectDir: string): BarrelExports | undefined {
  let root: string;
  let file: string;
  try {
    const manifest = fs.realpathSync.native(require.resolve(`${RUNTIME_PACKAGE}/package.json`, { paths: [projectDir] }));
    root = path.dirname(manifest);
    const exported = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { exports?: Record<string, { module?: string }> }).exports?.['.']?.module;
    if (exported === undefined) return undefined;
    file = path.resolve(root, exported);
  } catch {
    return undefined;
  }
  const exports: BarrelExports = new Map();
  const program = context.parse(fs.readFileSync(file, 'utf8')) as unknown as { body: Node[] };
  for (const node of program.body) {
    // Code of its own in the barrel would run on import: then it must be loaded as it is.
    if (node.type !== 'ExportNamedDeclaration' || !node.source) return undefined;
    const from = moduleFile(path.resolve(path.dirname(file), (node.source as { value: string }).value));
    if (from === undefined) return undefined;
    for (const specifier of node.specifiers as Specifier[]) {
      const exported = specifier.exported?.name ?? specifier.exported?.value;
      const local = (specifier.local as { name?: string; value?: string }).name ?? (specifier.local as { value?: string }).value;
      if (exported === undefined || local === undefined) return undefined;
      exports.set(exported, { file: from, name: local });
    }
  }
  return exports;
}

/** `./decorators` as tsc writes it in the ES module build: the file it names. */
function moduleFile(base: string): string | undefined {
  return [base, `${base}.js`, `${base}.mjs`, path.join(base, 'index.js')].find((candidate) => fs.statSync(candidate, { throwIfNoEntry: false })?.isFile());
}
