import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plugin } from 'rollup';
import { nativeAddonBundled } from '../errors';
import { stableSourcePath } from './index';

// A native addon cannot live in a bundle: rollup leaves its `.node` file
// behind (or a dynamic require of a platform package such as sharp's
// `@img/sharp-linux-x64`), and the archive fails in Lambda on its first
// import. So a package that ships one is a build error, naming the package and
// `nodeModules`, which installs it into the archive for the function's
// platform instead.

const MODULES = `${path.sep}node_modules${path.sep}`;

/** The package folder holding `file` (`.../node_modules/@img/sharp`), or undefined for the project's own code. */
export function packageRootOf(file: string): string | undefined {
  const at = file.lastIndexOf(MODULES);
  if (at < 0) return undefined;
  const rest = file.slice(at + MODULES.length).split(path.sep);
  const depth = rest[0]?.startsWith('@') ? 2 : 1;
  if (rest.length <= depth) return undefined;
  return file.slice(0, at + MODULES.length) + rest.slice(0, depth).join(path.sep);
}

/**
 * What shows that a package ships a native addon: `gypfile` in its package.json, or a `binding.gyp` or a `.node`
 * file anywhere in it outside its own node_modules (sharp keeps its binding.gyp in `src/`). Undefined if nothing does.
 */
export function nativeAddonEvidence(packageRoot: string): string | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { gypfile?: unknown };
    if (manifest.gypfile === true) return '"gypfile": true in its package.json';
  } catch {
    // no readable package.json: look at the files
  }
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(packageRoot, dir), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const relative = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') pending.push(relative);
      } else if (entry.name === 'binding.gyp' || entry.name.endsWith('.node')) return relative;
    }
  }
  return undefined;
}

/**
 * Fails the build on a package with a native addon; each package is looked at once. The verdict waits for the end
 * of the module graph, when rollup knows who imports the package.
 */
export function refuseNativeAddons(projectDir: string): Plugin {
  const evidence = new Map<string, string | undefined>();
  const refused = new Map<string, string[]>();
  return {
    name: 'sparta-refuse-native-addons',
    buildStart() {
      refused.clear();
    },
    load(id) {
      if (id.startsWith('\0')) return null;
      const root = packageRootOf(id);
      if (root === undefined) return null;
      if (!evidence.has(root)) evidence.set(root, id.endsWith('.node') ? path.relative(root, id).split(path.sep).join('/') : nativeAddonEvidence(root));
      if (evidence.get(root) !== undefined) refused.set(root, [...(refused.get(root) ?? []), id]);
      return null;
    },
    buildEnd(error) {
      if (error !== undefined) return;
      for (const [root, ids] of refused) {
        // Through commonjs's virtual modules (`\0...?commonjs-proxy`) to the first real file outside the package.
        const seen = new Set<string>();
        const pending = [...ids];
        let importer: string | undefined;
        while (pending.length > 0 && importer === undefined) {
          for (const file of this.getModuleInfo(pending.shift()!)?.importers ?? []) {
            if (seen.has(file)) continue;
            seen.add(file);
            if (!file.startsWith('\0') && !file.startsWith(root + path.sep)) importer = file;
            else pending.push(file);
          }
        }
        const name = stableSourcePath(path.join(root, 'package.json'), projectDir).replace(/^node_modules\//, '').replace(/\/package\.json$/, '');
        // Rollup rewrites the code and message of what a hook throws: the SpartaError rides along as the cause.
        const failure = nativeAddonBundled(name, importer ? stableSourcePath(importer, projectDir) : 'the bundle', evidence.get(root)!);
        throw new Error(failure.message, { cause: failure });
      }
    },
  };
}
