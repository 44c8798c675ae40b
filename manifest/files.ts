import { globSync } from 'tinyglobby';

// Which project files a `files` glob names. One rule for the two places that
// ask: the transformer (a glob that matches nothing is a diagnostic at the
// decorator) and packaging (the matches are copied into the archive).

/**
 * Never shipped as a function's files: installed packages (nodeModules installs
 * those for the function's platform), sparta's own output and git's store.
 */
const IGNORED = ['**/node_modules/**', '.sparta/**', '.git/**'];

/**
 * Paths of an archive that hold the function's bundle (cli/bundle: the entry `index.js`, or `index.mjs` in ES module
 * format, its map, rollup's `chunks/`): a project file matched there would collide with the code. Both entries
 * whatever the format: Lambda loads `index.js` before `index.mjs`, so a project's `index.js` would run instead.
 */
export function isBundlePath(file: string): boolean {
  return ['index.js', 'index.js.map', 'index.mjs', 'index.mjs.map'].includes(file) || file.startsWith('chunks/');
}

/** Why a pattern cannot name files of the project (absolute, or climbing out with `..`), or undefined. */
export function filePatternProblem(pattern: string): string | undefined {
  if (pattern.startsWith('/') || /^[A-Za-z]:/.test(pattern)) return 'is absolute';
  if (pattern.includes('\\')) return 'uses a backslash (write globs with /)';
  if (pattern.split('/').includes('..')) return 'climbs out of the project folder with ..';
  return undefined;
}

/** The files (not folders) the patterns match, relative to `projectDir`, posix separators, in byte order. */
export function matchProjectFiles(projectDir: string, patterns: readonly string[]): string[] {
  const files = globSync([...patterns], { cwd: projectDir, ignore: IGNORED, onlyFiles: true, dot: true, expandDirectories: false });
  return [...new Set(files)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
