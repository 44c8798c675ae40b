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
 * Where packages keep a native addon or its build file below their root: node-gyp's output (`build/Release`),
 * prebuildify's `prebuilds/<platform>/`, sharp's `src/binding.gyp`. Only these are looked in, not the whole package:
 * walking every file of the AWS SDK's packages cost 0.34 s (30 packages, measured); these folders, looked in only
 * when the root listing has them, about 0.1 ms a package.
 */
const ADDON_FOLDERS = ['src', 'lib', 'bin', 'build', 'build/Release', 'build/Default', 'build/Debug'];

const isAddonFile = (name: string) => name === 'binding.gyp' || name.endsWith('.node');

function listing(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * What shows that a package ships a native addon: `gypfile` in its package.json, or a `binding.gyp` or a `.node`
 * file in its root or where packages keep them (ADDON_FOLDERS, each `prebuilds/<platform>`). Undefined if none.
 */
export function nativeAddonEvidence(packageRoot: string): string | undefined {
  const root = listing(packageRoot);
  const atRoot = root.find((entry) => entry.isFile() && isAddonFile(entry.name));
  if (atRoot) return atRoot.name;
  if (root.some((entry) => entry.name === 'package.json')) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { gypfile?: unknown };
      if (manifest.gypfile === true) return '"gypfile": true in its package.json';
    } catch {
      // unreadable: the files decide
    }
  }
  const folders = new Set(root.filter((entry) => entry.isDirectory()).map((entry) => entry.name));
  const candidates = ADDON_FOLDERS.filter((folder) => folders.has(folder.split('/')[0]!));
  if (folders.has('prebuilds')) candidates.push(...listing(path.join(packageRoot, 'prebuilds')).filter((e) => e.isDirectory()).map((e) => `prebuilds/${e.name}`));
  for (const folder of candidates) {
    const found = listing(path.join(packageRoot, folder)).find((entry) => entry.isFile() && isAddonFile(entry.name));
    if (found) return `${folder}/${found.name}`;
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
